/*
 * Retrying without storms: exponential backoff with jitter and a cap, and
 * a limiter that logs a failure that keeps repeating once per interval
 * with the number of repeats in between, not once per attempt. Every
 * retry loop of the server (the outbox's mail and SMS, the background
 * jobs and the store calls they make) uses both.
 */
#ifndef ST_BACKOFF_H
#define ST_BACKOFF_H

#include <pthread.h>
#include <stdint.h>

/*
 * The delay before retry number n (0 for the first retry): base * 2^n,
 * capped at cap, then drawn uniformly from its upper half ("equal
 * jitter"), so callers that failed together do not retry together.
 * Units are the caller's (seconds or milliseconds).
 */
int64_t backoff_delay(int64_t base, int64_t cap, unsigned n);

/* A limiter for one kind of repeated failure. */
struct log_every {
	pthread_mutex_t lock;
	int64_t interval_ms;
	uint64_t last_ms; /* when it last logged; 0 never */
	unsigned long repeats; /* not logged since */
};

#define LOG_EVERY_INIT(ms) \
	{ \
		PTHREAD_MUTEX_INITIALIZER, (ms), 0, 0 \
	}

/*
 * 1 when this occurrence is to be logged: the first one, and then one per
 * interval; *repeats gets the number left out since the last logged one.
 * 0 (and counted) otherwise.
 */
int log_every_due(struct log_every *l, unsigned long *repeats);
/* The failure is over: the next one is logged at once. */
void log_every_reset(struct log_every *l);

#endif
