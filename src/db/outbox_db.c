/* SQL for the outbox; see outbox_db.h. */
#include "util/common.h"

#include "db/outbox_db.h"

enum db_status
outbox_insert(struct db_conn *c, const char *id, const char *kind,
    const char *recipient, const char *payload, const char *ref, int64_t now)
{
	return db_exec(c,
	    "INSERT INTO outbox (id, kind, recipient, state, "
	    "next_at, created_at, payload, ref) VALUES ($1, $2, $3, "
	    "'pending', $4, $4, $5, $6)",
	    DB_PARAMS(DB_TEXT(id), DB_TEXT(kind), DB_TEXT(recipient),
	        DB_INT(now), DB_TEXT(payload), DB_TEXT(ref)));
}

int
outbox_claim(struct db_conn *c, int64_t now, int64_t lease, const char *node,
    const char *msgid_domain, struct outbox_row *row)
{
	struct db_stmt *s;
	enum db_status r;

	s = db_query(c,
	    "UPDATE outbox SET claimed_until = $2, claimed_by = $3, "
	    "attempts = attempts + 1, message_id = COALESCE(message_id, "
	    "id || '@' || $4) WHERE id = (SELECT id FROM outbox WHERE "
	    "state = 'pending' AND next_at <= $1 AND claimed_until <= $1 "
	    "ORDER BY next_at LIMIT 1 " DB_SKIP_LOCKED ") RETURNING id, kind, "
	    "recipient, payload, attempts, created_at, ref, message_id",
	    DB_PARAMS(DB_INT(now), DB_INT(now + lease), DB_TEXT(node),
	        DB_TEXT(msgid_domain)));
	if (s == NULL)
		return -1;
	if ((r = db_next(s)) == DB_ROW) {
		snprintf(row->id, sizeof(row->id), "%s", db_text(s, 0));
		row->kind = xstrdup(db_text(s, 1));
		row->recipient = xstrdup(db_text(s, 2));
		row->payload = xstrdup(db_text(s, 3));
		row->attempts = db_int(s, 4);
		row->created_at = db_int(s, 5);
		row->ref = db_dup_text(s, 6);
		row->message_id = db_dup_text(s, 7);
	}
	/* The claim counts only once committed: a row handed out by a
	 * claim that did not commit (a full disk) would be sent again and
	 * again, as fast as the relay answers. */
	if (db_finish(s) != DB_OK) {
		if (r == DB_ROW)
			outbox_row_release(row);
		return -1;
	}
	return r == DB_ROW ? 1 : r == DB_DONE ? 0 : -1;
}

int
outbox_release_claims(struct db_conn *c, const char *node)
{
	if (db_exec(c,
	        "UPDATE outbox SET claimed_until = 0 WHERE claimed_by = $1 "
	        "AND state = 'pending' AND claimed_until > 0",
	        DB_PARAMS(DB_TEXT(node))) != DB_OK)
		return -1;
	return (int)db_changes(c);
}

void
outbox_row_release(struct outbox_row *row)
{
	free(row->kind);
	free(row->recipient);
	free(row->ref);
	free(row->message_id);
	if (row->payload != NULL)
		free_secret(row->payload, strlen(row->payload));
	memset(row, 0, sizeof(*row));
}

enum db_status
outbox_mark_sent(
    struct db_conn *c, const char *id, int64_t now, const char *reply)
{
	return db_exec(c,
	    "UPDATE outbox SET state = 'sent', sent_at = $2, "
	    "reply = $3, payload = '' WHERE id = $1",
	    DB_PARAMS(DB_TEXT(id), DB_INT(now), DB_TEXT(reply)));
}

enum db_status
outbox_mark_retry(
    struct db_conn *c, const char *id, int64_t next_at, const char *reply)
{
	return db_exec(c,
	    "UPDATE outbox SET next_at = $2, claimed_until = 0, "
	    "reply = $3 WHERE id = $1",
	    DB_PARAMS(DB_TEXT(id), DB_INT(next_at), DB_TEXT(reply)));
}

enum db_status
outbox_mark_failed(struct db_conn *c, const char *id, const char *reply)
{
	return db_exec(c,
	    "UPDATE outbox SET state = 'failed', reply = $2, "
	    "payload = '' WHERE id = $1",
	    DB_PARAMS(DB_TEXT(id), DB_TEXT(reply)));
}

int
outbox_queue_stats(
    struct db_conn *c, int64_t now, int64_t *pending, int64_t *oldest_age)
{
	struct db_stmt *s;
	int rc = -1;

	s = db_query(c,
	    "SELECT COUNT(*), COALESCE(MIN(created_at), 0) FROM outbox "
	    "WHERE state = 'pending'",
	    DB_NOPARAMS);
	if (s == NULL)
		return -1;
	if (db_next(s) == DB_ROW) {
		int64_t oldest = db_int(s, 1);

		*pending = db_int(s, 0);
		*oldest_age = *pending > 0 && oldest < now ? now - oldest : 0;
		rc = 0;
	}
	db_done(s);
	return rc;
}
