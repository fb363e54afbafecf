/* SQL for the one-time mail tokens; see tokens_db.h. */
#include "util/common.h"

#include "db/tokens_db.h"

enum db_status
tokens_insert(struct db_conn *c, const char *hash, const char *kind,
    const char *user_id, int64_t now, int64_t expires)
{
	return db_exec(c,
	    "INSERT INTO tokens (hash, kind, user_id, "
	    "created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
	    DB_PARAMS(DB_TEXT(hash), DB_TEXT(kind), DB_TEXT(user_id),
	        DB_INT(now), DB_INT(expires)));
}

enum token_state
tokens_peek(struct db_conn *c, const char *hash, const char *kind, int64_t now,
    char user_id[RAND_ID_LEN + 1])
{
	struct db_stmt *s;
	enum db_status r;
	enum token_state st = TOKEN_UNKNOWN;

	s = db_query(c,
	    "SELECT user_id, expires_at, used_at IS NOT NULL FROM "
	    "tokens WHERE hash = $1 AND kind = $2",
	    DB_PARAMS(DB_TEXT(hash), DB_TEXT(kind)));
	if (s == NULL)
		return TOKEN_ERROR;
	if ((r = db_next(s)) == DB_ROW) {
		snprintf(user_id, RAND_ID_LEN + 1, "%s", db_text(s, 0));
		if (db_int(s, 2))
			st = TOKEN_USED;
		else if (db_int(s, 1) <= now)
			st = TOKEN_EXPIRED;
		else
			st = TOKEN_OK;
	} else if (r != DB_DONE)
		st = TOKEN_ERROR;
	db_done(s);
	return st;
}

enum token_state
tokens_use(struct db_conn *c, const char *hash, const char *kind, int64_t now,
    char user_id[RAND_ID_LEN + 1])
{
	enum token_state st = tokens_peek(c, hash, kind, now, user_id);

	if (st != TOKEN_OK)
		return st;
	/* The used_at guard makes a racing second use change nothing. */
	if (db_exec(c,
	        "UPDATE tokens SET used_at = $2 WHERE hash = $1 AND "
	        "used_at IS NULL",
	        DB_PARAMS(DB_TEXT(hash), DB_INT(now))) != DB_OK)
		return TOKEN_ERROR;
	return db_changes(c) == 1 ? TOKEN_OK : TOKEN_USED;
}

enum db_status
tokens_delete_user(struct db_conn *c, const char *user_id, const char *kind)
{
	if (kind == NULL)
		return db_exec(c, "DELETE FROM tokens WHERE user_id = $1",
		    DB_PARAMS(DB_TEXT(user_id)));
	return db_exec(c, "DELETE FROM tokens WHERE user_id = $1 AND kind = $2",
	    DB_PARAMS(DB_TEXT(user_id), DB_TEXT(kind)));
}
