/*
 * SQL for receiving (migration 0005): the sealed parts a recipient needs,
 * the SMS code gate and capabilities. The lists of sent and received
 * messages are in report_db.h.
 */
#ifndef ST_RECEIVE_DB_H
#define ST_RECEIVE_DB_H

#include <stdint.h>

#include "db/db.h"

/* What the sender stored at send time; each field NULL once purged. */
struct msg_sealed {
	char *manifest, *link_auth_hash, *link_stanza;
};

void msg_sealed_release(struct msg_sealed *s);
/* 1 found, 0 absent, -1 error. */
int msg_sealed_get(struct db_conn *c, const char *id, struct msg_sealed *s);

struct otp_row {
	char code_hash[64]; /* b64u, "" when no code is outstanding */
	int64_t expires_at, failures, sent_at;
	int locked;
};

/* 1 found, 0 none yet, -1 error. */
int otp_get(struct db_conn *c, const char *msg_id, struct otp_row *o);
/* Stores a new code (replacing any) and when it was sent; DB_CONSTRAINT
 * when the message is no longer readable. */
enum db_status otp_put(struct db_conn *c, const char *msg_id,
    const char *code_hash, int64_t now, int64_t expires_at);
/*
 * Counts one wrong entry and locks at max; the new count, or -1. The
 * lock is set in the same statement, so it cannot be raced past.
 */
int64_t otp_fail(struct db_conn *c, const char *msg_id, int64_t max);
/* A right code is used up: it cannot be entered twice. */
enum db_status otp_used(struct db_conn *c, const char *msg_id);
/* The sender's unlock: no code, no failures, no lock. */
enum db_status otp_unlock(struct db_conn *c, const char *msg_id);

/* DB_CONSTRAINT when the message is no longer readable. */
enum db_status cap_insert(struct db_conn *c, const char *token_hash,
    const char *msg_id, int64_t expires_at);
/* 1 when token_hash opens msg_id at now, else 0 (or -1). */
int cap_valid(
    struct db_conn *c, const char *token_hash, const char *msg_id, int64_t now);

#endif
