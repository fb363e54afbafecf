/*
 * SQL for the idempotency keys of message creation (migration 0016): per
 * account, the message a key made and the SHA-256 of the request that
 * made it (b64u), for a day.
 */
#ifndef ST_IDEMPOTENCY_DB_H
#define ST_IDEMPOTENCY_DB_H

#include <stdint.h>

#include "db/db.h"
#include "util/rand.h"

#define IDEM_HASH_LEN RAND_TOKEN_LEN /* b64u of 32 bytes */
#define IDEM_KEEP_SECONDS 86400

/*
 * What key made for user: 1 (message_id and hash filled), 0 nothing,
 * -1 error.
 */
int idem_get(struct db_conn *c, const char *user_id, const char *key,
    char hash[IDEM_HASH_LEN + 1], char message_id[RAND_ID_LEN + 1]);
/* Records it; DB_CONSTRAINT when another request took the key first. */
enum db_status idem_put(struct db_conn *c, const char *user_id, const char *key,
    const char *hash, const char *message_id, int64_t now);
/* Forgets keys older than IDEM_KEEP_SECONDS. */
enum db_status idem_purge(struct db_conn *c, int64_t now);

#endif
