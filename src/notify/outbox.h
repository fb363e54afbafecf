/*
 * The durable outbox (O3, DESIGN §6). Callers queue a mail (or, with
 * outbox_queue_sms in sms.h, an SMS) inside their own transaction, so it
 * exists exactly when the change that caused it does. A worker thread
 * sends due rows through the configured transports, retries with
 * exponential backoff for up to 48 hours, and empties the payload once
 * sent. The payload is sealed (secretbox) under the outbox key from the
 * secrets folder: a database copy does not reveal the links or codes in
 * it (SECURITY.md W1).
 *
 * Delivery is at-least-once, and a duplicate can be recognised: the claim
 * records the attempt (attempts, the lease, the node) before the relay is
 * called; the Message-ID is made of the outbox id, the same on every attempt
 * (the SMS carries the outbox id); the outcome is recorded right after
 * the relay's 250 for the DATA (the connection's QUIT comes later), and
 * kept in memory and recorded again until the database takes it. Only a
 * crash between the 250 and that commit resends the mail, once the node
 * is back (outbox_recover) or, on another node, after the lease. While
 * the relay or the database fails, the worker backs off exponentially
 * with jitter (up to two minutes) and says so once a minute.
 */
#ifndef ST_OUTBOX_H
#define ST_OUTBOX_H

#include "notify/mime.h"

struct config;
struct db;
struct db_conn;
struct outbox;

/* Queues m (from is ignored: mail.from is used). 0 or -1. */
int outbox_queue_mail(struct db_conn *c, const unsigned char key[32],
    const struct mail *m, const char *ref);

/*
 * Renders mail text kind (notify/mailtext.h) in lang ("nl", "en"; NULL is
 * Dutch) with params (key, value, ..., NULL) and queues it to to /
 * to_name: what every mail of the product does.
 */
int outbox_queue_text(struct db_conn *c, const unsigned char key[32],
    const char *kind, const char *lang, const char *const *params,
    const char *to, const char *to_name, const char *ref);

/*
 * At start, before outbox_start: frees the rows this node (server.node_id)
 * had claimed when it stopped or crashed, so a mail in flight then goes out
 * again at once rather than after its 120-second lease. 0 or -1.
 */
int outbox_recover(struct db *db, const char *node);

/* Starts the worker thread; NULL (logged) on failure. */
struct outbox *outbox_start(
    const struct config *cfg, struct db *db, const unsigned char key[32]);
/* Stops the worker after the mail in hand; frees w. */
void outbox_stop(struct outbox *w);

#endif
