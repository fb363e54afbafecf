/*
 * Retention and withdrawal (R6, "Intrekken"): crypto-shredding of a sent
 * message when it expires or when its sender withdraws it.
 *
 * A purge is two steps. One transaction moves the message to its final
 * state (expired or revoked), deletes R_srv, the stanzas, the SMS code and
 * the capabilities, clears the manifest and the link gate, and records an
 * event; from then on the link cannot be opened even with S. Then the
 * objects are deleted and the message marked purged. A crash between the
 * two leaves a final-state message not yet marked purged: the next
 * retention_run deletes its objects (the object keys are kept for that).
 * Safe when several nodes, the job and `securetransferd purge` run at
 * once: only one of them moves the state, and deleting an absent object
 * is not an error.
 */
#ifndef ST_RETENTION_H
#define ST_RETENTION_H

#include <stdint.h>

#include "domain/messages.h"

struct user;

/* Messages handled per batch by retention_run. */
#define RETENTION_BATCH 100

/*
 * Purges message id now: final_state is "expired" or "revoked"; actor
 * (an account, or NULL for the system) goes into the event with env->ip.
 * 1 purged, 0 the message was not sent, opened or downloaded (nothing
 * changed), -1 error (logged; nothing changed, or only the object
 * deletion is left for the next run).
 */
int retention_purge(const struct msg_env *env, const char *id,
    const char *final_state, const struct user *actor);

/*
 * One retention pass at now (seconds): purges every sent, opened or
 * downloaded message with expires_at <= now as "expired", in batches;
 * finishes the object deletion of messages purged or aborted earlier; and
 * deletes expired capabilities. Returns the number of messages purged,
 * or -1 when a step failed (logged; the next run continues).
 */
int retention_run(const struct msg_env *env, int64_t now);

/*
 * The sender withdraws a sent message: purged at once as "revoked".
 * ST_NOT_FOUND when absent or not the sender's, ST_CONFLICT "not_sent"
 * while uploading or when aborted, ST_GONE "expired" or "revoked" when
 * already purged (a message past its expiry is purged as expired).
 */
struct st_result retention_revoke(
    const struct msg_env *env, const struct user *sender, const char *id);

#endif
