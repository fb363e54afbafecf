/* SQL for retention and withdrawal; see retention_db.h. */
#include "util/common.h"

#include "db/retention_db.h"

static int
collect_ids(struct db_stmt *s, char ids[][RAND_ID_LEN + 1], int max)
{
	enum db_status r = DB_DONE;
	int n = 0;

	if (s == NULL)
		return -1;
	while (n < max && (r = db_next(s)) == DB_ROW)
		snprintf(ids[n++], RAND_ID_LEN + 1, "%s", db_text(s, 0));
	db_done(s);
	return r == DB_ROW || r == DB_DONE ? n : -1;
}

int
ret_due(struct db_conn *c, int64_t now, char ids[][RAND_ID_LEN + 1], int max)
{
	return collect_ids(db_query(c,
	                       "SELECT id FROM messages WHERE state IN "
	                       "('sent', 'opened', 'downloaded') AND "
	                       "expires_at <= $1 ORDER BY expires_at LIMIT $2",
	                       DB_PARAMS(DB_INT(now), DB_INT(max))),
	    ids, max);
}

int
ret_pending(struct db_conn *c, char ids[][RAND_ID_LEN + 1], int max)
{
	return collect_ids(db_query(c,
	                       "SELECT id FROM messages WHERE purged_at IS "
	                       "NULL AND state IN ('expired', 'revoked', "
	                       "'aborted') ORDER BY id LIMIT $1",
	                       DB_PARAMS(DB_INT(max))),
	    ids, max);
}

int
ret_shred(struct db_conn *c, const char *id, const char *final_state)
{
	static const char *const deletes[] = {
		"DELETE FROM message_keys WHERE message_id = $1",
		"DELETE FROM stanzas WHERE message_id = $1",
		"DELETE FROM otp WHERE message_id = $1",
		"DELETE FROM capabilities WHERE message_id = $1",
	};
	size_t i;

	/* The state moves first, in the statement that checks it: of two
	 * purges of one message (job, CLI, revoke) only one gets here. */
	if (db_exec(c,
	        "UPDATE messages SET state = $2, manifest = NULL, "
	        "link_auth_hash = NULL, link_stanza = NULL, "
	        "link_secret_sealed = NULL WHERE id = $1 "
	        "AND state IN ('sent', 'opened', 'downloaded')",
	        DB_PARAMS(DB_TEXT(id), DB_TEXT(final_state))) != DB_OK)
		return -1;
	if (db_changes(c) != 1)
		return 0;
	for (i = 0; i < ST_ARRAY_LEN(deletes); i++)
		if (db_exec(c, deletes[i], DB_PARAMS(DB_TEXT(id))) != DB_OK)
			return -1;
	return 1;
}

struct purged {
	const char *id;
	int64_t now;
};

static enum db_status
mark_purged_tx(struct db_conn *c, void *arg)
{
	const struct purged *p = arg;
	enum db_status r;

	/* An aborted message may still hold its early self-stanza. */
	if ((r = db_exec(c, "DELETE FROM stanzas WHERE message_id = $1",
	         DB_PARAMS(DB_TEXT(p->id)))) != DB_OK ||
	    (r = db_exec(c, "UPDATE files SET purged = 1 WHERE message_id = $1",
	         DB_PARAMS(DB_TEXT(p->id)))) != DB_OK)
		return r;
	return db_exec(c,
	    "UPDATE messages SET purged_at = $2 WHERE id = $1 AND "
	    "state IN ('expired', 'revoked', 'aborted')",
	    DB_PARAMS(DB_TEXT(p->id), DB_INT(p->now)));
}

enum db_status
ret_mark_purged(struct db_conn *c, const char *id, int64_t now)
{
	struct purged p = { id, now };

	return db_tx(c, mark_purged_tx, &p);
}

int64_t
ret_caps_expire(struct db_conn *c, int64_t now)
{
	if (db_exec(c, "DELETE FROM capabilities WHERE expires_at <= $1",
	        DB_PARAMS(DB_INT(now))) != DB_OK)
		return -1;
	return db_changes(c);
}
