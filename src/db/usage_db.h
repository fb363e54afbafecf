/*
 * SQL for the overview of Beheer (O6): counts and sizes only, per hour
 * (the caller sums hours into Amsterdam days or weeks), for one
 * organisation (the domain of the sender's address; of a message from
 * outside, its recipient's) or all. Never a subject, name or address.
 */
#ifndef ST_USAGE_DB_H
#define ST_USAGE_DB_H

#include <stdint.h>

#include "db/db.h"

enum usage_metric {
	USAGE_MESSAGES, /* sent; sum: plaintext bytes */
	USAGE_OUTSIDERS, /* sent to an address outside every connected
	                    organisation */
	USAGE_SMS, /* SMS handed to the gateway */
	USAGE_CODES_FAILED, /* wrong SMS codes */
	USAGE_LOCKS, /* messages locked by wrong codes (at the last one) */
	USAGE_REQUESTS, /* requests sent to outsiders */
	USAGE_DROPOFFS, /* drop-offs delivered */
	USAGE_METRICS
};

/* fn(t, count, sum): t the start (seconds) of an hour, or an event time. */
typedef void (*usage_fn)(int64_t t, int64_t count, int64_t sum, void *arg);

int usage_db_series(struct db_conn *c, enum usage_metric m, const char *domain,
    int64_t from, int64_t to, usage_fn fn, void *arg);
/* Ciphertext stored now (bytes) and the messages it belongs to. */
int usage_db_storage(
    struct db_conn *c, const char *domain, int64_t *bytes, int64_t *messages);
/* The outbox by kind and state: fn(kind, state, count, oldest created). */
int usage_db_queue(struct db_conn *c,
    void (*fn)(const char *kind, const char *state, int64_t n, int64_t oldest,
        void *arg),
    void *arg);

#endif
