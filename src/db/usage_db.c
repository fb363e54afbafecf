/* SQL for the overview; see usage_db.h. */
#include "util/common.h"

#include "db/usage_db.h"

/* A message's organisation: its sender's domain; from outside, its
 * recipient's. $1 is the domain or "". */
#define ORG_OF_MSG \
	" ($1 = '' OR u.email LIKE '%@' || $1 OR (m.request_id IS NOT NULL " \
	"AND m.rcpt_email LIKE '%@' || $1))"
#define OUTSIDE \
	" AND NOT EXISTS (SELECT 1 FROM organisations o WHERE " \
	"m.rcpt_email LIKE '%@' || o.domain)"
#define SENT(extra) \
	"SELECT (m.sent_at / 3600) * 3600, COUNT(*), " \
	"COALESCE(SUM(m.total_size), 0) FROM messages m JOIN users u ON " \
	"u.id = m.sender_id WHERE m.sent_at >= $2 AND m.sent_at < $3 " \
	"AND" ORG_OF_MSG extra " GROUP BY (m.sent_at / 3600) * 3600"

static const char *const sql[USAGE_METRICS] = {
	[USAGE_MESSAGES] = SENT(""),
	[USAGE_OUTSIDERS] = SENT(OUTSIDE),
	[USAGE_SMS] = "SELECT (b.sent_at / 3600) * 3600, COUNT(*), 0 FROM "
	              "outbox b JOIN messages m ON m.id = b.ref JOIN users u "
	              "ON u.id = m.sender_id WHERE b.kind = 'sms' AND "
	              "b.state = 'sent' AND b.sent_at >= $2 AND b.sent_at < $3 "
	              "AND" ORG_OF_MSG " GROUP BY (b.sent_at / 3600) * 3600",
	[USAGE_CODES_FAILED] =
	    "SELECT (e.at_us / 3600000000) * 3600, COUNT(*), 0 FROM events e "
	    "JOIN messages m ON m.id = e.message_id JOIN users u ON "
	    "u.id = m.sender_id WHERE e.kind = 'code_wrong' AND "
	    "e.at_us >= $2 AND e.at_us < $3 AND" ORG_OF_MSG
	    " GROUP BY (e.at_us / 3600000000) * 3600",
	[USAGE_LOCKS] =
	    "SELECT MAX(e.at_us) / 1000000, 1, 0 FROM events e JOIN otp o ON "
	    "o.message_id = e.message_id JOIN messages m ON m.id = "
	    "e.message_id JOIN users u ON u.id = m.sender_id WHERE "
	    "o.locked = 1 AND e.kind = 'code_wrong' AND" ORG_OF_MSG
	    " GROUP BY e.message_id HAVING MAX(e.at_us) >= $2 AND "
	    "MAX(e.at_us) < $3",
	[USAGE_REQUESTS] =
	    "SELECT (r.created_at / 3600) * 3600, COUNT(*), 0 FROM requests r "
	    "JOIN users u ON u.id = r.employee_id WHERE r.kind = 'request' "
	    "AND r.created_at >= $2 AND r.created_at < $3 AND ($1 = '' OR "
	    "u.email LIKE '%@' || $1) GROUP BY (r.created_at / 3600) * 3600",
	[USAGE_DROPOFFS] =
	    "SELECT (r.used_at / 3600) * 3600, COUNT(*), 0 FROM requests r "
	    "JOIN users u ON u.id = r.employee_id WHERE r.kind = 'dropoff' "
	    "AND r.used_at >= $2 AND r.used_at < $3 AND ($1 = '' OR "
	    "u.email LIKE '%@' || $1) GROUP BY (r.used_at / 3600) * 3600",
};

int
usage_db_series(struct db_conn *c, enum usage_metric m, const char *domain,
    int64_t from, int64_t to, usage_fn fn, void *arg)
{
	struct db_stmt *s;
	enum db_status st;

	if ((unsigned)m >= USAGE_METRICS)
		return -1;
	/* Events are kept in microseconds: the bounds too (a product in
	 * the SQL would be typed int4 by PostgreSQL and overflow). */
	if (m == USAGE_CODES_FAILED || m == USAGE_LOCKS) {
		from *= 1000000;
		to *= 1000000;
	}
	s = db_query(
	    c, sql[m], DB_PARAMS(DB_TEXT(domain), DB_INT(from), DB_INT(to)));
	if (s == NULL)
		return -1;
	while ((st = db_next(s)) == DB_ROW)
		fn(db_int(s, 0), db_int(s, 1), db_int(s, 2), arg);
	db_done(s);
	return st == DB_DONE ? 0 : -1;
}

int
usage_db_storage(
    struct db_conn *c, const char *domain, int64_t *bytes, int64_t *messages)
{
	struct db_stmt *s;
	enum db_status st;

	s = db_query(c,
	    "SELECT COALESCE(SUM(CASE WHEN f.done = 1 THEN f.ciphertext_size "
	    "ELSE f.upload_offset END), 0), COUNT(DISTINCT m.id) FROM files f "
	    "JOIN messages m ON m.id = f.message_id JOIN users u ON "
	    "u.id = m.sender_id WHERE f.purged = 0 AND m.purged_at IS NULL "
	    "AND m.state <> 'aborted' AND" ORG_OF_MSG,
	    DB_PARAMS(DB_TEXT(domain)));
	if (s == NULL)
		return -1;
	if ((st = db_next(s)) == DB_ROW) {
		*bytes = db_int(s, 0);
		*messages = db_int(s, 1);
	}
	db_done(s);
	return st == DB_ROW ? 0 : -1;
}

int
usage_db_queue(struct db_conn *c,
    void (*fn)(const char *kind, const char *state, int64_t n, int64_t oldest,
        void *arg),
    void *arg)
{
	struct db_stmt *s;
	enum db_status st;

	s = db_query(c,
	    "SELECT kind, state, COUNT(*), MIN(created_at) FROM outbox GROUP "
	    "BY kind, state ORDER BY kind, state",
	    DB_NOPARAMS);
	if (s == NULL)
		return -1;
	while ((st = db_next(s)) == DB_ROW)
		fn(db_text(s, 0), db_text(s, 1), db_int(s, 2), db_int(s, 3),
		    arg);
	db_done(s);
	return st == DB_DONE ? 0 : -1;
}
