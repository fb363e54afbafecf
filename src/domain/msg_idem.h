/*
 * msg_idem.h: retry-safe message creation (Idempotency-Key, issue 22).
 * Used by messages_create() inside its transaction; nothing is owned.
 */
#ifndef ST_MSG_IDEM_H
#define ST_MSG_IDEM_H

#include "db/db.h"
#include "domain/messages.h"

/* An Idempotency-Key seen before: fills out->id and sets out->replayed;
 * ST_UNPROCESSABLE when the key was used for another request. */
struct st_result msg_idem_check(
    struct db_conn *c, const struct msg_create_in *in, struct msg_created *out);

/* Records the key with the message made (ST_CONFLICT on a race). */
struct st_result msg_idem_record(struct db_conn *c,
    const struct msg_create_in *in, const struct msg_created *out);

#endif
