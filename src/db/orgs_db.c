/* SQL for the organisations' policies; see orgs_db.h. */
#include "util/common.h"

#include "db/orgs_db.h"

/* Accounts are counted by their address's domain ("%@domain": a domain
 * holds no % or _, so the pattern is literal). */
#define ORG_COLS \
	"o.domain, o.added_at, COALESCE(o.updated_at, 0), " \
	"COALESCE(o.retention, 0), o.extensions, " \
	"COALESCE(o.max_message_bytes, 0), o.outsiders, o.sms_prefixes, " \
	"(SELECT COUNT(*) FROM users u WHERE u.kind = 'person' AND " \
	"u.email LIKE '%@' || o.domain)"

static int
each(struct db_stmt *s, orgs_db_fn fn, void *arg)
{
	struct orgs_db_row r;
	enum db_status st;
	int n = 0;

	if (s == NULL)
		return -1;
	while ((st = db_next(s)) == DB_ROW) {
		r.domain = db_text(s, 0);
		r.added_at = db_int(s, 1);
		r.updated_at = db_int(s, 2);
		r.retention = db_int(s, 3);
		r.extensions = db_text(s, 4);
		r.max_message_bytes = db_int(s, 5);
		r.outsiders = db_int(s, 6) != 0;
		r.sms_prefixes = db_text(s, 7);
		r.accounts = db_int(s, 8);
		fn(&r, arg);
		n++;
	}
	db_done(s);
	return st == DB_DONE ? n : -1;
}

int
orgs_db_list(struct db_conn *c, orgs_db_fn fn, void *arg)
{
	return each(db_query(c,
	                "SELECT " ORG_COLS " FROM organisations o ORDER BY "
	                "o.domain",
	                DB_NOPARAMS),
	           fn, arg) < 0 ?
	    -1 :
	    0;
}

int
orgs_db_get(struct db_conn *c, const char *domain, orgs_db_fn fn, void *arg)
{
	return each(db_query(c,
	                "SELECT " ORG_COLS " FROM organisations o WHERE "
	                "o.domain = $1",
	                DB_PARAMS(DB_TEXT(domain))),
	    fn, arg);
}

static struct db_param
int_or_null(int64_t v)
{
	return v > 0 ? DB_INT(v) : DB_NULL;
}

static struct db_param
text_or_null(const char *s)
{
	return s != NULL ? DB_TEXT(s) : DB_NULL;
}

int
orgs_db_put(struct db_conn *c, const struct orgs_db_row *r, int64_t now)
{
	if (db_exec(c,
	        "UPDATE organisations SET retention = $2, extensions = $3, "
	        "max_message_bytes = $4, outsiders = $5, sms_prefixes = $6, "
	        "updated_at = $7 WHERE domain = $1",
	        DB_PARAMS(DB_TEXT(r->domain), int_or_null(r->retention),
	            text_or_null(r->extensions),
	            int_or_null(r->max_message_bytes), DB_INT(r->outsiders),
	            text_or_null(r->sms_prefixes), DB_INT(now))) != DB_OK)
		return -1;
	return db_changes(c) == 1;
}

enum db_status
orgs_db_add(struct db_conn *c, const char *domain, int64_t now)
{
	return db_exec(c,
	    "INSERT INTO organisations (domain, added_at) "
	    "VALUES ($1, $2)",
	    DB_PARAMS(DB_TEXT(domain), DB_INT(now)));
}

int
orgs_db_remove(struct db_conn *c, const char *domain)
{
	if (db_exec(c, "DELETE FROM organisations WHERE domain = $1",
	        DB_PARAMS(DB_TEXT(domain))) != DB_OK)
		return -1;
	return db_changes(c) > 0 ? 0 : 1;
}

int
orgs_db_domains(
    struct db_conn *c, void (*fn)(const char *domain, void *arg), void *arg)
{
	struct db_stmt *s;
	enum db_status r;

	s = db_query(
	    c, "SELECT domain FROM organisations ORDER BY domain", DB_NOPARAMS);
	if (s == NULL)
		return -1;
	while ((r = db_next(s)) == DB_ROW)
		fn(db_text(s, 0), arg);
	db_done(s);
	return r == DB_DONE ? 0 : -1;
}

int
orgs_db_is_connected(struct db_conn *c, const char *domain)
{
	struct db_stmt *s;
	int found;

	s = db_query(c, "SELECT 1 FROM organisations WHERE domain = $1",
	    DB_PARAMS(DB_TEXT(domain)));
	if ((found = db_first(s)) == 1)
		db_done(s);
	return found;
}
