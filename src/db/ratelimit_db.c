/* SQL for the rate-limit counters; see ratelimit_db.h. */
#include "util/common.h"

#include "db/ratelimit_db.h"

int64_t
ratelimit_hit(struct db_conn *c, const char *key, int64_t window, int64_t now)
{
	struct db_stmt *s;
	int64_t n = -1;

	s = db_query(c,
	    "INSERT INTO rate_limits (key, window_start, count) "
	    "VALUES ($1, $2, 1) ON CONFLICT (key, window_start) DO UPDATE "
	    "SET count = rate_limits.count + 1 RETURNING count",
	    DB_PARAMS(DB_TEXT(key), DB_INT(now - now % window)));
	if (s != NULL && db_next(s) == DB_ROW)
		n = db_int(s, 0);
	/* Counted only once committed. */
	return db_finish(s) == DB_OK ? n : -1;
}

enum db_status
ratelimit_undo(struct db_conn *c, const char *key, int64_t window, int64_t now)
{
	return db_exec(c,
	    "UPDATE rate_limits SET count = count - 1 WHERE key = $1 AND "
	    "window_start = $2 AND count > 0",
	    DB_PARAMS(DB_TEXT(key), DB_INT(now - now % window)));
}

enum db_status
ratelimit_clear(struct db_conn *c, const char *key)
{
	return db_exec(c, "DELETE FROM rate_limits WHERE key = $1",
	    DB_PARAMS(DB_TEXT(key)));
}

enum db_status
ratelimit_purge(struct db_conn *c, int64_t before)
{
	return db_exec(c, "DELETE FROM rate_limits WHERE window_start < $1",
	    DB_PARAMS(DB_INT(before)));
}
