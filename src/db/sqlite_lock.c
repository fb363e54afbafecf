/* The SQLite driver's write gate; see sqlite_lock.h. */
#include "util/common.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "db/db.h"
#include "db/sqlite_lock.h"
#include "util/log.h"

#define INTERNAL_WAIT_MS 10000 /* queued behind this process's writers */
#define POLL_MS 5 /* SQLite does not say when another process ends */

static pthread_mutex_t gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static struct sqlite_lock *gate_holder;
static pthread_t gate_thread;
/* ms; when the holder was first refused the lock (0: not refused). */
static _Atomic uint64_t blocked_since;
static int64_t lock_timeout_ms = 2000; /* database.lock_timeout */

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void
sleep_ms(uint64_t ms)
{
	struct timespec ts = { (time_t)(ms / 1000),
		(long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void
locked_elsewhere(void)
{
	db_note_fault(DB_FAULT_LOCKED,
	    "the database is locked by another process (sqlite3, a backup "
	    "tool, securetransferd purge): writes wait for it");
}

void
sqlite_lock_setup(int64_t ms)
{
	lock_timeout_ms = ms;
}

int
sqlite_lock_enter(struct sqlite_lock *l)
{
	uint64_t start = now_ms(), now, limit, bs;
	struct timespec until;

	if (l->gated)
		return 0;
	pthread_mutex_lock(&gate_mu);
	while (gate_holder != NULL) {
		if (pthread_equal(gate_thread, pthread_self())) {
			/* SQLite would refuse it too: a bug, not a lock. */
			pthread_mutex_unlock(&gate_mu);
			log_error("write on a second connection inside a "
			          "transaction",
			    NULL);
			return -1;
		}
		now = now_ms();
		bs = atomic_load(&blocked_since);
		if (bs != 0)
			limit = db_is_event_thread() ?
			    0 :
			    bs + (uint64_t)lock_timeout_ms;
		else
			limit = start + INTERNAL_WAIT_MS;
		if (l->probing && limit > start + SQLITE_LOCK_PROBE_MS)
			limit = start + SQLITE_LOCK_PROBE_MS;
		if (now >= limit) {
			pthread_mutex_unlock(&gate_mu);
			locked_elsewhere();
			return -1;
		}
		/* Wake now and then: the holder may meet a lock elsewhere,
		 * which changes this waiter's limit. */
		if (limit > now + 50)
			limit = now + 50;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += (time_t)((limit - now) / 1000);
		until.tv_nsec += (long)((limit - now) % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		(void)pthread_cond_timedwait(&gate_cv, &gate_mu, &until);
	}
	gate_holder = l;
	gate_thread = pthread_self();
	l->gated = 1;
	pthread_mutex_unlock(&gate_mu);
	return 0;
}

void
sqlite_lock_leave(struct sqlite_lock *l)
{
	if (!l->gated)
		return;
	pthread_mutex_lock(&gate_mu);
	if (gate_holder == l)
		gate_holder = NULL;
	l->gated = 0;
	pthread_cond_broadcast(&gate_cv);
	pthread_mutex_unlock(&gate_mu);
}

enum sqlite_lock_state
sqlite_lock_state(void)
{
	enum sqlite_lock_state st;

	pthread_mutex_lock(&gate_mu);
	st = gate_holder == NULL             ? SQLITE_LOCK_FREE :
	    atomic_load(&blocked_since) != 0 ? SQLITE_LOCK_ELSEWHERE :
	                                       SQLITE_LOCK_OURS;
	pthread_mutex_unlock(&gate_mu);
	return st;
}

void
sqlite_lock_got(void)
{
	if (atomic_load(&blocked_since) != 0)
		atomic_store(&blocked_since, 0);
}

/*
 * The gate's holder was refused by another process (see the header);
 * anyone else is a reader that met a recovery or a checkpoint of another
 * process.
 */
int
sqlite_lock_busy(struct sqlite_lock *l, int tries)
{
	uint64_t now = now_ms(), limit, bs = 0;

	if (tries == 0)
		l->busy_since = now;
	if (l->gated) {
		uint64_t zero = 0;

		(void)atomic_compare_exchange_strong(
		    &blocked_since, &zero, now);
		bs = atomic_load(&blocked_since);
	}
	if (db_is_event_thread())
		limit = l->busy_since + DB_EVENT_LOCK_MS;
	else
		limit = (bs != 0 ? bs : l->busy_since) +
		    (uint64_t)lock_timeout_ms;
	if (l->probing && limit > l->busy_since + SQLITE_LOCK_PROBE_MS)
		limit = l->busy_since + SQLITE_LOCK_PROBE_MS;
	if (now >= limit) {
		locked_elsewhere();
		return 0;
	}
	sleep_ms(POLL_MS);
	return 1;
}
