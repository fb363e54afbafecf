/*
 * The durable outbox (O3, DESIGN §6). Callers queue a mail (or, with
 * outbox_queue_sms in sms.h, an SMS) inside their own transaction, so it
 * exists exactly when the change that caused it does. A worker thread
 * sends due rows through the configured transports, retries with
 * exponential backoff for up to 48 hours, and empties the payload once
 * sent. The payload is sealed (secretbox) under the outbox key from the
 * secrets folder: a database copy does not reveal the links or codes in
 * it (SECURITY.md W1). Delivery is at-least-once: a crash between the
 * hand-over and the mark resends the mail with the same Message-ID (the
 * SMS with the same outbox id).
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

/* Starts the worker thread; NULL (logged) on failure. */
struct outbox *outbox_start(
    const struct config *cfg, struct db *db, const unsigned char key[32]);
/* Stops the worker after the mail in hand; frees w. */
void outbox_stop(struct outbox *w);

#endif
