/* SQL for the audit log: writing events and reading them; see auditlog_db.h. */
#include "util/common.h"

#include "db/auditlog_db.h"
#include "util/clock.h"
#include "util/rand.h"

/*
 * $1 actor, $2 kind (exact, or a prefix ending in '.' as $2 || '%'), $3
 * domain, $4/$5 the time range, $6/$7 the cursor, $8 the page size. The
 * actor is shown by address: its account's, or as written (admin-cli).
 */
#define AUDIT_SQL \
	"SELECT a.id, a.at_us, COALESCE(u.email, a.actor), a.ip, a.kind, " \
	"a.subject, a.detail FROM audit a LEFT JOIN users u ON " \
	"u.id = a.actor WHERE ($1 = '' OR u.email = $1 OR a.actor = $1) " \
	"AND ($2 = '' OR a.kind = $2 OR (a.kind LIKE $2 || '%' AND " \
	"$2 LIKE '%.')) AND ($3 = '' OR a.subject = $3 OR " \
	"a.subject LIKE '%@' || $3 OR u.email LIKE '%@' || $3) AND " \
	"a.at_us >= $4 AND a.at_us < $5 AND ($7 = '' OR a.at_us < $6 OR " \
	"(a.at_us = $6 AND a.id < $7)) ORDER BY a.at_us DESC, a.id DESC " \
	"LIMIT $8"

int
auditlog_db_query(struct db_conn *c, const struct auditlog_filter *f,
    void (*fn)(const struct auditlog_row *r, void *arg), void *arg)
{
	struct auditlog_row r;
	struct db_stmt *s;
	enum db_status st;

	s = db_query(c, AUDIT_SQL,
	    DB_PARAMS(DB_TEXT(f->actor), DB_TEXT(f->kind), DB_TEXT(f->domain),
	        DB_INT(f->from_us), DB_INT(f->to_us), DB_INT(f->before_us),
	        DB_TEXT(f->before_id), DB_INT(f->limit)));
	if (s == NULL)
		return -1;
	while ((st = db_next(s)) == DB_ROW) {
		r.id = db_text(s, 0);
		r.at_us = db_int(s, 1);
		r.actor = db_text(s, 2);
		r.ip = db_text(s, 3);
		r.kind = db_text(s, 4);
		r.subject = db_text(s, 5);
		r.detail = db_text(s, 6);
		fn(&r, arg);
	}
	db_done(s);
	return st == DB_DONE ? 0 : -1;
}

int
auditlog_db_kinds(
    struct db_conn *c, void (*fn)(const char *kind, void *arg), void *arg)
{
	struct db_stmt *s;
	enum db_status st;

	s = db_query(
	    c, "SELECT DISTINCT kind FROM audit ORDER BY kind", DB_NOPARAMS);
	if (s == NULL)
		return -1;
	while ((st = db_next(s)) == DB_ROW)
		fn(db_text(s, 0), arg);
	db_done(s);
	return st == DB_DONE ? 0 : -1;
}

enum db_status
audit_add(struct db_conn *c, const char *actor, const char *ip,
    const char *kind, const char *subject, const char *detail)
{
	char id[RAND_ID_LEN + 1];

	rand_id(id);
	return db_exec(c,
	    "INSERT INTO audit (id, at_us, actor, ip, kind, "
	    "subject, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)",
	    DB_PARAMS(DB_TEXT(id), DB_INT(clock_now_us()), DB_TEXT(actor),
	        DB_TEXT(ip), DB_TEXT(kind), DB_TEXT(subject), DB_TEXT(detail)));
}
