/* SQL for administering accounts; see staff_db.h. */
#include "util/common.h"

#include "db/staff_db.h"

#define ST_COLS \
	"id, email, name, key_id, is_admin, verified_at IS NOT NULL, " \
	"blocked_at IS NOT NULL, kind = 'mailbox', created_at, " \
	"COALESCE(last_login_at, 0), COALESCE(keys_changed_at, 0), " \
	"COALESCE(blocked_at, 0)"
/* $1 the LIKE pattern ("" for all), $2 the status. */
#define ST_WHERE \
	" FROM users WHERE kind = 'person' AND id <> 'external' AND " \
	"($1 = '' OR LOWER(name) LIKE $1 ESCAPE '\\' OR " \
	"LOWER(email) LIKE $1 ESCAPE '\\') AND ($2 = '' OR " \
	"($2 = 'unverified' AND verified_at IS NULL) OR " \
	"($2 = 'active' AND verified_at IS NOT NULL AND blocked_at IS NULL) " \
	"OR ($2 = 'blocked' AND blocked_at IS NOT NULL) OR " \
	"($2 = 'admin' AND is_admin = 1))"

static void
row(struct db_stmt *s, struct staff_row *r)
{
	r->id = db_text(s, 0);
	r->email = db_text(s, 1);
	r->name = db_text(s, 2);
	r->key_id = db_text(s, 3);
	r->is_admin = db_int(s, 4) != 0;
	r->verified = db_int(s, 5) != 0;
	r->blocked = db_int(s, 6) != 0;
	r->is_mailbox = db_int(s, 7) != 0;
	r->created_at = db_int(s, 8);
	r->last_login_at = db_int(s, 9);
	r->keys_changed_at = db_int(s, 10);
	r->blocked_at = db_int(s, 11);
}

static int
each(struct db_stmt *s, staff_row_fn fn, void *arg)
{
	struct staff_row r;
	enum db_status st;
	int n = 0;

	if (s == NULL)
		return -1;
	while ((st = db_next(s)) == DB_ROW) {
		row(s, &r);
		fn(&r, arg);
		n++;
	}
	db_done(s);
	return st == DB_DONE ? n : -1;
}

int
staff_db_search(struct db_conn *c, const struct staff_query *q, staff_row_fn fn,
    void *arg, int64_t *total)
{
	*total = db_int_of(c, "SELECT COUNT(*)" ST_WHERE,
	    DB_PARAMS(DB_TEXT(q->q), DB_TEXT(q->status)));
	if (*total < 0)
		return -1;
	return each(db_query(c,
	                "SELECT " ST_COLS ST_WHERE
	                " ORDER BY email LIMIT $3 OFFSET $4",
	                DB_PARAMS(DB_TEXT(q->q), DB_TEXT(q->status),
	                    DB_INT(q->limit), DB_INT(q->offset))),
	           fn, arg) < 0 ?
	    -1 :
	    0;
}

int
staff_db_get(
    struct db_conn *c, const char *id_or_email, staff_row_fn fn, void *arg)
{
	return each(db_query(c,
	                "SELECT " ST_COLS " FROM users WHERE (id = $1 OR "
	                "email = $1) AND id <> 'external'",
	                DB_PARAMS(DB_TEXT(id_or_email))),
	    fn, arg);
}

enum db_status
staff_db_lock_admins(struct db_conn *c)
{
	/* A no-op write takes the row locks on PostgreSQL; SQLite's write
	 * transaction holds the database already. */
	return db_exec(
	    c, "UPDATE users SET is_admin = 1 WHERE is_admin = 1", DB_NOPARAMS);
}

int64_t
staff_db_admins(struct db_conn *c)
{
	return db_int_of(c,
	    "SELECT COUNT(*) FROM users WHERE is_admin = 1 AND "
	    "blocked_at IS NULL AND verified_at IS NOT NULL",
	    DB_NOPARAMS);
}

int
staff_db_set_blocked(
    struct db_conn *c, const char *id, int blocked, int64_t now)
{
	enum db_status st;

	if (blocked)
		st = db_exec(c,
		    "UPDATE users SET blocked_at = $2 WHERE id = $1 AND "
		    "kind = 'person' AND blocked_at IS NULL",
		    DB_PARAMS(DB_TEXT(id), DB_INT(now)));
	else
		st = db_exec(c,
		    "UPDATE users SET blocked_at = NULL WHERE id = $1 AND "
		    "blocked_at IS NOT NULL",
		    DB_PARAMS(DB_TEXT(id)));
	if (st != DB_OK)
		return -1;
	return db_changes(c) == 1;
}

int
staff_db_set_admin(struct db_conn *c, const char *id, int admin)
{
	if (db_exec(c,
	        "UPDATE users SET is_admin = $2 WHERE id = $1 AND "
	        "kind = 'person' AND is_admin <> $2",
	        DB_PARAMS(DB_TEXT(id), DB_INT(admin))) != DB_OK)
		return -1;
	return db_changes(c) == 1;
}

enum db_status
staff_db_logged_in(struct db_conn *c, const char *id, int64_t now)
{
	return db_exec(c, "UPDATE users SET last_login_at = $2 WHERE id = $1",
	    DB_PARAMS(DB_TEXT(id), DB_INT(now)));
}

int64_t
staff_db_sessions(struct db_conn *c, const char *id)
{
	return db_int_of(c, "SELECT COUNT(*) FROM sessions WHERE user_id = $1",
	    DB_PARAMS(DB_TEXT(id)));
}

int
staff_db_key_history(struct db_conn *c, const char *id,
    void (*fn)(const struct staff_key_event *e, void *arg), void *arg)
{
	struct staff_key_event e;
	struct db_stmt *s;
	enum db_status st;

	s = db_query(c,
	    "SELECT at_us, kind, subject FROM audit WHERE actor = $1 AND "
	    "kind IN ('account.registered', 'account.verified', "
	    "'keys.changed', 'password.reset') ORDER BY at_us, id",
	    DB_PARAMS(DB_TEXT(id)));
	if (s == NULL)
		return -1;
	while ((st = db_next(s)) == DB_ROW) {
		e.at_us = db_int(s, 0);
		e.kind = db_text(s, 1);
		e.key_id = db_text(s, 2);
		fn(&e, arg);
	}
	db_done(s);
	return st == DB_DONE ? 0 : -1;
}

int
staff_db_mailboxes(struct db_conn *c, staff_row_fn fn, void *arg)
{
	return each(db_query(c,
	                "SELECT " ST_COLS " FROM users WHERE kind = 'mailbox' "
	                "ORDER BY email",
	                DB_NOPARAMS),
	           fn, arg) < 0 ?
	    -1 :
	    0;
}
