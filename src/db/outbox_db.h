/* SQL for the outbox table (see migration 0002). */
#ifndef ST_OUTBOX_DB_H
#define ST_OUTBOX_DB_H

#include <stdint.h>

#include "db/db.h"
#include "util/rand.h"

struct outbox_row {
	char id[RAND_ID_LEN + 1];
	char *kind;
	char *recipient;
	char *payload;
	char *ref; /* the message it is about, or NULL */
	char *message_id; /* a mail's, without <>, fixed at its first claim */
	int64_t attempts; /* including this one */
	int64_t created_at;
};

enum db_status outbox_insert(struct db_conn *c, const char *id,
    const char *kind, const char *recipient, const char *payload,
    const char *ref, int64_t now);
/*
 * Claims the oldest due row for lease seconds in the name of node
 * (another worker will not take it meanwhile; after a crash the lease runs
 * out and it is retried, at once if node restarts: outbox_release_claims).
 * The first claim also fixes the row's Message-ID (<id>@msgid_domain).
 * 1 claimed (and committed), 0 nothing due, -1 error.
 */
int outbox_claim(struct db_conn *c, int64_t now, int64_t lease,
    const char *node, const char *msgid_domain, struct outbox_row *row);
/* Ends the claims node held before it restarted; how many, or -1. */
int outbox_release_claims(struct db_conn *c, const char *node);
void outbox_row_release(struct outbox_row *row);
/* Sent: the payload (which may hold a link secret) is emptied. */
enum db_status outbox_mark_sent(
    struct db_conn *c, const char *id, int64_t now, const char *reply);
enum db_status outbox_mark_retry(
    struct db_conn *c, const char *id, int64_t next_at, const char *reply);
enum db_status outbox_mark_failed(
    struct db_conn *c, const char *id, const char *reply);

/* Rows waiting to be sent and the age in seconds of the oldest; 0 or -1. */
int outbox_queue_stats(
    struct db_conn *c, int64_t now, int64_t *pending, int64_t *oldest_age);

#endif
