/* Backoff with jitter and the repeat limiter; see backoff.h. */
#include "util/common.h"

#include <sodium.h>
#include <time.h>

#include "util/backoff.h"

int64_t
backoff_delay(int64_t base, int64_t cap, unsigned n)
{
	int64_t d = base;
	uint32_t span;

	if (base <= 0 || cap <= 0)
		return 0;
	while (n-- > 0 && d < cap)
		d = d > cap / 2 ? cap : d * 2;
	if (d > cap)
		d = cap;
	/* Half fixed, half random: never much below the intended delay,
	 * never in step with another caller. */
	span = d / 2 > UINT32_MAX - 1 ? UINT32_MAX - 1 : (uint32_t)(d / 2);
	return d - span + (int64_t)randombytes_uniform(span + 1);
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int
log_every_due(struct log_every *l, unsigned long *repeats)
{
	uint64_t now = now_ms();
	int due;

	pthread_mutex_lock(&l->lock);
	due = l->last_ms == 0 || now - l->last_ms >= (uint64_t)l->interval_ms;
	if (due) {
		*repeats = l->repeats;
		l->repeats = 0;
		l->last_ms = now != 0 ? now : 1;
	} else {
		*repeats = 0;
		l->repeats++;
	}
	pthread_mutex_unlock(&l->lock);
	return due;
}

void
log_every_reset(struct log_every *l)
{
	pthread_mutex_lock(&l->lock);
	l->last_ms = 0;
	l->repeats = 0;
	pthread_mutex_unlock(&l->lock);
}
