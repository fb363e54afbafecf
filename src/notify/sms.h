/*
 * SMS codes for recipients without an account (R2). The receive flow makes
 * the text with sms_code_text and queues it with outbox_queue_sms inside
 * its own transaction; the outbox worker delivers rows of kind "sms"
 * through the transport named by sms.transport (see transport.h), with the
 * same sealing, retries and at-least-once delivery as mail. The text is
 * never logged: only the "log" transport writes it down (development).
 */
#ifndef ST_SMS_H
#define ST_SMS_H

#include <stddef.h>

struct config;
struct db_conn;

/* Longest SMS text queued, in bytes (about ten concatenated parts). */
#define SMS_TEXT_MAX 1024

/*
 * The text of the code SMS in lang ("nl", "en"; NULL is Dutch), from the
 * catalogue key "sms.code" with {code} and {minutes} (util/i18n.h; a
 * built-in Dutch text when the key is missing). code is 4-10 digits,
 * minutes 1-1440. Writes a NUL-terminated text to out; 0, or -1 on bad
 * input or when out is too small. The caller wipes out after use.
 */
int sms_code_text(const struct config *cfg, const char *code, int minutes,
    const char *lang, char *out, size_t outlen);

/*
 * Queues an SMS to the E.164 number to (e.g. "+31612345678") inside the
 * caller's transaction, sealed like mail under the outbox key. ref is the
 * message id (may be NULL). 0, or -1 on a bad number, an empty or too long
 * text, or a database error.
 */
int outbox_queue_sms(struct db_conn *c, const unsigned char key[32],
    const char *to, const char *text, const char *ref);

/* 1 when to is "+" and 8-15 digits, the first not 0; else 0. */
int sms_number_valid(const char *to);

/* The transport named by cfg->sms_transport. */
const struct sms_transport *sms_transport_of(const struct config *cfg);

#endif
