/* SQL for login sessions; see sessions_db.h. */
#include "util/common.h"

#include "db/sessions_db.h"
#include "db/users_db.h"

enum db_status
sessions_insert(struct db_conn *c, const char *hash, const char *user_id,
    int64_t now, const char *ip, const char *agent)
{
	return db_exec(c,
	    "INSERT INTO sessions (id_hash, user_id, created_at, "
	    "last_seen, ip, agent) VALUES ($1, $2, $3, $3, $4, $5)",
	    DB_PARAMS(DB_TEXT(hash), DB_TEXT(user_id), DB_INT(now), DB_TEXT(ip),
	        DB_TEXT(agent)));
}

int
sessions_lookup(struct db_conn *c, const char *hash, int64_t now, int64_t idle,
    int64_t absolute, struct user *u, int64_t *last_seen)
{
	struct db_stmt *s;
	int found;

	s = db_query(c,
	    "SELECT " USERS_DB_COLS
	    ", s.last_seen FROM sessions s JOIN users u "
	    "ON u.id = s.user_id WHERE s.id_hash = $1 AND s.created_at > $2 "
	    "AND s.last_seen > $3 AND u.blocked_at IS NULL",
	    DB_PARAMS(
	        DB_TEXT(hash), DB_INT(now - absolute), DB_INT(now - idle)));
	if ((found = db_first(s)) != 1)
		return found;
	users_from_row(s, u);
	*last_seen = db_int(s, 20);
	db_done(s);
	return 1;
}

enum db_status
sessions_touch(struct db_conn *c, const char *hash, int64_t now)
{
	/* Skipped while the database is locked: the next request does it. */
	return db_exec_nowait(c,
	    "UPDATE sessions SET last_seen = $2 WHERE "
	    "id_hash = $1",
	    DB_PARAMS(DB_TEXT(hash), DB_INT(now)));
}

enum db_status
sessions_delete(struct db_conn *c, const char *hash)
{
	return db_exec(c, "DELETE FROM sessions WHERE id_hash = $1",
	    DB_PARAMS(DB_TEXT(hash)));
}

enum db_status
sessions_delete_user(
    struct db_conn *c, const char *user_id, const char *keep_hash)
{
	return db_exec(c,
	    "DELETE FROM sessions WHERE user_id = $1 AND "
	    "id_hash <> $2",
	    DB_PARAMS(
	        DB_TEXT(user_id), DB_TEXT(keep_hash != NULL ? keep_hash : "")));
}

int
sessions_list(struct db_conn *c, const char *user_id, int64_t now, int64_t idle,
    int64_t absolute, void (*fn)(const struct session_row *s, void *arg),
    void *arg)
{
	struct session_row row;
	struct db_stmt *s;
	enum db_status r;

	s = db_query(c,
	    "SELECT id_hash, created_at, last_seen, ip, agent FROM "
	    "sessions WHERE user_id = $1 AND created_at > $2 AND "
	    "last_seen > $3 ORDER BY last_seen DESC LIMIT 100",
	    DB_PARAMS(
	        DB_TEXT(user_id), DB_INT(now - absolute), DB_INT(now - idle)));
	if (s == NULL)
		return -1;
	while ((r = db_next(s)) == DB_ROW) {
		row.id_hash = db_text(s, 0);
		row.created_at = db_int(s, 1);
		row.last_seen = db_int(s, 2);
		row.ip = db_text(s, 3);
		row.agent = db_text(s, 4);
		fn(&row, arg);
	}
	db_done(s);
	return r == DB_DONE ? 0 : -1;
}

int
sessions_delete_own(struct db_conn *c, const char *user_id, const char *hash)
{
	if (db_exec(c,
	        "DELETE FROM sessions WHERE user_id = $1 AND "
	        "id_hash = $2",
	        DB_PARAMS(DB_TEXT(user_id), DB_TEXT(hash))) != DB_OK)
		return -1;
	return db_changes(c) == 1 ? 1 : 0;
}
