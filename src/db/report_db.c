/* SQL for the lists and reports; see report_db.h. */
#include "util/common.h"

#include "db/report_db.h"

/*
 * One text per box so each is prepared once. Empty state and pattern
 * parameters match everything; the keyset condition with INT64_MAX and ""
 * is the first page. LOWER() folds ASCII only, in SQLite and PostgreSQL.
 */
static const char page_sent[] =
    "SELECT m.id, m.state, m.subject, m.reference, m.rcpt_name, "
    "m.rcpt_email, COALESCE(m.sent_at, 0), COALESCE(m.expires_at, 0), "
    "m.total_size, (SELECT COUNT(*) FROM files f WHERE f.message_id = m.id), "
    "m.created_at, m.created_at, 0 "
    "FROM messages m WHERE m.sender_id = $1 AND m.state <> 'aborted' "
    "AND ($2 = '' OR m.state = $2) "
    "AND ($3 = '' OR LOWER(m.subject) LIKE $3 ESCAPE '\\' "
    "OR LOWER(m.reference) LIKE $3 ESCAPE '\\' "
    "OR LOWER(m.rcpt_name) LIKE $3 ESCAPE '\\' "
    "OR LOWER(m.rcpt_email) LIKE $3 ESCAPE '\\') "
    "AND (m.created_at < $4 OR (m.created_at = $4 AND m.id < $5)) "
    "AND COALESCE(m.sent_at, m.created_at) >= $6 "
    "AND COALESCE(m.sent_at, m.created_at) < $7 "
    "ORDER BY m.created_at DESC, m.id DESC LIMIT $8";
static const char page_received[] =
    "SELECT m.id, m.state, m.subject, m.reference, "
    "COALESCE(m.ext_name, u.name), COALESCE(m.ext_email, u.email), "
    "COALESCE(m.sent_at, 0), COALESCE(m.expires_at, 0), m.total_size, "
    "(SELECT COUNT(*) FROM files f WHERE f.message_id = m.id), "
    "m.created_at, COALESCE(m.sent_at, 0), "
    "CASE WHEN m.ext_email IS NULL THEN 0 ELSE 1 END "
    "FROM messages m JOIN users u ON u.id = m.sender_id "
    "WHERE m.rcpt_user_id = $1 AND m.state NOT IN ('uploading', 'aborted') "
    "AND ($2 = '' OR m.state = $2) "
    "AND ($3 = '' OR LOWER(m.subject) LIKE $3 ESCAPE '\\' "
    "OR LOWER(m.reference) LIKE $3 ESCAPE '\\' "
    "OR LOWER(COALESCE(m.ext_name, u.name)) LIKE $3 ESCAPE '\\' "
    "OR LOWER(COALESCE(m.ext_email, u.email)) LIKE $3 ESCAPE '\\') "
    "AND (COALESCE(m.sent_at, 0) < $4 "
    "OR (COALESCE(m.sent_at, 0) = $4 AND m.id < $5)) "
    "AND COALESCE(m.sent_at, m.created_at) >= $6 "
    "AND COALESCE(m.sent_at, m.created_at) < $7 "
    "ORDER BY COALESCE(m.sent_at, 0) DESC, m.id DESC LIMIT $8";

int
msg_page(struct db_conn *c, const struct msg_filter *f,
    void (*fn)(const struct msg_line *l, void *arg), void *arg)
{
	struct db_stmt *s;
	struct msg_line l;
	enum db_status r;

	s = db_query(c, f->received ? page_received : page_sent,
	    DB_PARAMS(DB_TEXT(f->user_id), DB_TEXT(f->state), DB_TEXT(f->like),
	        DB_INT(f->before_at), DB_TEXT(f->before_id), DB_INT(f->from),
	        DB_INT(f->to), DB_INT(f->limit)));
	if (s == NULL)
		return -1;
	while ((r = db_next(s)) == DB_ROW) {
		l.id = db_text(s, 0);
		l.state = db_text(s, 1);
		l.subject = db_text(s, 2);
		l.reference = db_text(s, 3);
		l.name = db_text(s, 4);
		l.email = db_text(s, 5);
		l.sent_at = db_int(s, 6);
		l.expires_at = db_int(s, 7);
		l.total_size = db_int(s, 8);
		l.files = db_int(s, 9);
		l.created_at = db_int(s, 10);
		l.key_at = db_int(s, 11);
		l.external = db_int(s, 12) != 0;
		fn(&l, arg);
	}
	db_done(s);
	return r == DB_DONE ? 0 : -1;
}

int64_t
events_of(struct db_conn *c, const char *msg_id, int64_t max,
    void (*fn)(const struct event_line *e, void *arg), void *arg)
{
	struct db_stmt *s;
	struct event_line e;
	enum db_status r;
	int64_t n = 0;

	s = db_query(c,
	    "SELECT e.at_us, e.kind, e.actor, e.detail, u.name, u.email "
	    "FROM events e LEFT JOIN users u ON u.id = e.member_id WHERE "
	    "e.message_id = $1 ORDER BY e.at_us, e.id LIMIT $2",
	    DB_PARAMS(DB_TEXT(msg_id), DB_INT(max + 1)));
	if (s == NULL)
		return -1;
	while ((r = db_next(s)) == DB_ROW) {
		if (n++ == max)
			continue;
		e.at_us = db_int(s, 0);
		e.kind = db_text(s, 1);
		e.actor = db_text(s, 2);
		e.detail = db_text(s, 3);
		e.member_name = db_text(s, 4);
		e.member_email = db_text(s, 5);
		fn(&e, arg);
	}
	db_done(s);
	return r == DB_DONE ? n : -1;
}
