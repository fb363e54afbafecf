/* SQL for receiving; see receive_db.h. */
#include "util/common.h"

#include "db/receive_db.h"

void
msg_sealed_release(struct msg_sealed *s)
{
	free(s->manifest);
	free(s->link_auth_hash);
	free(s->link_stanza);
	memset(s, 0, sizeof(*s));
}

int
msg_sealed_get(struct db_conn *c, const char *id, struct msg_sealed *out)
{
	struct db_stmt *s;
	int found;

	memset(out, 0, sizeof(*out));
	s = db_query(c,
	    "SELECT manifest, link_auth_hash, link_stanza FROM messages "
	    "WHERE id = $1",
	    DB_PARAMS(DB_TEXT(id)));
	if ((found = db_first(s)) != 1)
		return found;
	out->manifest = db_dup_text(s, 0);
	out->link_auth_hash = db_dup_text(s, 1);
	out->link_stanza = db_dup_text(s, 2);
	db_done(s);
	return 1;
}

int
otp_get(struct db_conn *c, const char *msg_id, struct otp_row *o)
{
	struct db_stmt *s;
	int found;

	memset(o, 0, sizeof(*o));
	s = db_query(c,
	    "SELECT code_hash, expires_at, failures, locked, sent_at "
	    "FROM otp WHERE message_id = $1",
	    DB_PARAMS(DB_TEXT(msg_id)));
	if ((found = db_first(s)) != 1)
		return found;
	snprintf(o->code_hash, sizeof(o->code_hash), "%s",
	    db_isnull(s, 0) ? "" : db_text(s, 0));
	o->expires_at = db_int(s, 1);
	o->failures = db_int(s, 2);
	o->locked = db_int(s, 3) != 0;
	o->sent_at = db_int(s, 4);
	db_done(s);
	return 1;
}

enum db_status
otp_put(struct db_conn *c, const char *msg_id, const char *code_hash,
    int64_t now, int64_t expires_at)
{
	enum db_status st;

	/* Only for a message still readable: a purge that committed since
	 * the caller looked must not get a code row back. */
	st = db_exec(c,
	    "INSERT INTO otp (message_id, code_hash, expires_at, sent_at) "
	    "SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM messages "
	    "WHERE id = $1 AND state IN ('sent', 'opened', 'downloaded')) "
	    "ON CONFLICT (message_id) DO UPDATE "
	    "SET code_hash = $2, expires_at = $3, sent_at = $4",
	    DB_PARAMS(DB_TEXT(msg_id), DB_TEXT(code_hash), DB_INT(expires_at),
	        DB_INT(now)));
	return st == DB_OK && db_changes(c) != 1 ? DB_CONSTRAINT : st;
}

int64_t
otp_fail(struct db_conn *c, const char *msg_id, int64_t max)
{
	struct db_stmt *s;
	int64_t n = -1;

	/* A message without a code row yet gets one, so wrong guesses
	 * before any code was sent count too. */
	s = db_query(c,
	    "INSERT INTO otp (message_id, failures, locked) "
	    "VALUES ($1, 1, CASE WHEN 1 >= $2 THEN 1 ELSE 0 END) "
	    "ON CONFLICT (message_id) DO UPDATE "
	    "SET failures = otp.failures + 1, locked = CASE WHEN "
	    "otp.failures + 1 >= $2 THEN 1 ELSE otp.locked END, "
	    "code_hash = CASE WHEN otp.failures + 1 >= $2 THEN NULL "
	    "ELSE otp.code_hash END RETURNING failures",
	    DB_PARAMS(DB_TEXT(msg_id), DB_INT(max)));
	if (s != NULL && db_next(s) == DB_ROW)
		n = db_int(s, 0);
	/* Counted only once committed. */
	return db_finish(s) == DB_OK ? n : -1;
}

enum db_status
otp_used(struct db_conn *c, const char *msg_id)
{
	return db_exec(c,
	    "UPDATE otp SET code_hash = NULL, failures = 0 "
	    "WHERE message_id = $1",
	    DB_PARAMS(DB_TEXT(msg_id)));
}

enum db_status
otp_unlock(struct db_conn *c, const char *msg_id)
{
	return db_exec(c,
	    "UPDATE otp SET code_hash = NULL, failures = 0, locked = 0 "
	    "WHERE message_id = $1",
	    DB_PARAMS(DB_TEXT(msg_id)));
}

enum db_status
cap_insert(struct db_conn *c, const char *token_hash, const char *msg_id,
    int64_t expires_at)
{
	return db_exec(c,
	    "INSERT INTO capabilities (token_hash, message_id, expires_at) "
	    "VALUES ($1, $2, $3)",
	    DB_PARAMS(
	        DB_TEXT(token_hash), DB_TEXT(msg_id), DB_INT(expires_at)));
}

int
cap_valid(
    struct db_conn *c, const char *token_hash, const char *msg_id, int64_t now)
{
	struct db_stmt *s;
	enum db_status r;

	/* Looked up by its hash: the equality is on a value the client
	 * cannot steer towards a stored one byte by byte. */
	s = db_query(c,
	    "SELECT 1 FROM capabilities WHERE token_hash = $1 "
	    "AND message_id = $2 AND expires_at > $3",
	    DB_PARAMS(DB_TEXT(token_hash), DB_TEXT(msg_id), DB_INT(now)));
	if (s == NULL)
		return -1;
	r = db_next(s);
	db_done(s);
	return r == DB_ROW ? 1 : r == DB_DONE ? 0 : -1;
}
