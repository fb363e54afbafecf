/*
 * SQL for retention and withdrawal (R6, migration 0006): finding the
 * messages to purge, destroying what opens them, and recording that their
 * objects are gone.
 */
#ifndef ST_RETENTION_DB_H
#define ST_RETENTION_DB_H

#include <stdint.h>

#include "db/db.h"
#include "util/rand.h"

/*
 * Ids of sent, opened or downloaded messages with expires_at <= now,
 * oldest expiry first, at most max. The count, or -1.
 */
int ret_due(
    struct db_conn *c, int64_t now, char ids[][RAND_ID_LEN + 1], int max);

/*
 * Ids of messages in a final state (expired, revoked, aborted) whose
 * objects are not all deleted yet (purged_at NULL), at most max. The
 * count, or -1.
 */
int ret_pending(struct db_conn *c, char ids[][RAND_ID_LEN + 1], int max);

/*
 * Inside the caller's transaction: moves message id from sent, opened or
 * downloaded to final_state, then deletes R_srv, the stanzas, the SMS code
 * and the capabilities, and clears the manifest and the link gate. 1 done,
 * 0 the message was not in such a state (nothing changed), -1 error.
 */
int ret_shred(struct db_conn *c, const char *id, const char *final_state);

/*
 * Records that every object of message id is deleted: its files are
 * marked purged and purged_at is set to now (one transaction).
 */
enum db_status ret_mark_purged(struct db_conn *c, const char *id, int64_t now);

/* Deletes capabilities that expired at or before now; the count, or -1. */
int64_t ret_caps_expire(struct db_conn *c, int64_t now);

#endif
