/* SQL for the account keyrings; see keyrings_db.h. */
#include "util/common.h"

#include "db/keyrings_db.h"

int
keyrings_db_get(
    struct db_conn *c, const char *uid, int64_t *version, char **blob)
{
	struct db_stmt *s;
	int found;

	*version = 0;
	*blob = NULL;
	s = db_query(c, "SELECT version, blob FROM keyrings WHERE user_id = $1",
	    DB_PARAMS(DB_TEXT(uid)));
	if ((found = db_first(s)) != 1)
		return found;
	*version = db_int(s, 0);
	*blob = db_dup_text(s, 1);
	db_done(s);
	return 1;
}

int
keyrings_db_put(struct db_conn *c, const char *uid, int64_t expect,
    const char *blob, int64_t now)
{
	enum db_status st;

	/* One statement each: the version check and the write are atomic. */
	if (expect == 0)
		st = db_exec(c,
		    "INSERT INTO keyrings (user_id, version, blob, updated_at) "
		    "VALUES ($1, 1, $2, $3) ON CONFLICT (user_id) DO NOTHING",
		    DB_PARAMS(DB_TEXT(uid), DB_TEXT(blob), DB_INT(now)));
	else
		st = db_exec(c,
		    "UPDATE keyrings SET version = version + 1, blob = $3, "
		    "updated_at = $4 WHERE user_id = $1 AND version = $2",
		    DB_PARAMS(DB_TEXT(uid), DB_INT(expect), DB_TEXT(blob),
		        DB_INT(now)));
	if (st != DB_OK)
		return -1;
	return db_changes(c) == 1 ? 1 : 0;
}

enum db_status
keyrings_db_delete(struct db_conn *c, const char *uid)
{
	return db_exec(c, "DELETE FROM keyrings WHERE user_id = $1",
	    DB_PARAMS(DB_TEXT(uid)));
}
