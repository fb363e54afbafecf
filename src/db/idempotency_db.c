/* SQL for idempotency keys; see idempotency_db.h. */
#include "util/common.h"

#include "db/idempotency_db.h"

int
idem_get(struct db_conn *c, const char *user_id, const char *key,
    char hash[IDEM_HASH_LEN + 1], char message_id[RAND_ID_LEN + 1])
{
	struct db_stmt *s;
	int found;

	s = db_query(c,
	    "SELECT request_hash, message_id FROM idempotency WHERE "
	    "user_id = $1 AND key = $2",
	    DB_PARAMS(DB_TEXT(user_id), DB_TEXT(key)));
	if ((found = db_first(s)) != 1)
		return found;
	snprintf(hash, IDEM_HASH_LEN + 1, "%s", db_text(s, 0));
	snprintf(message_id, RAND_ID_LEN + 1, "%s", db_text(s, 1));
	db_done(s);
	return 1;
}

enum db_status
idem_put(struct db_conn *c, const char *user_id, const char *key,
    const char *hash, const char *message_id, int64_t now)
{
	return db_exec(c,
	    "INSERT INTO idempotency (user_id, key, request_hash, message_id, "
	    "created_at) VALUES ($1, $2, $3, $4, $5)",
	    DB_PARAMS(DB_TEXT(user_id), DB_TEXT(key), DB_TEXT(hash),
	        DB_TEXT(message_id), DB_INT(now)));
}

enum db_status
idem_purge(struct db_conn *c, int64_t now)
{
	return db_exec(c, "DELETE FROM idempotency WHERE created_at < $1",
	    DB_PARAMS(DB_INT(now - IDEM_KEEP_SECONDS)));
}
