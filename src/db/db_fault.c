/* Database faults and readiness state; see db.h and db_fault.h. */
#include "util/common.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "db/db.h"
#include "db/db_fault.h"
#include "util/backoff.h"
#include "util/log.h"

static _Thread_local int event_thread;
static _Thread_local int nowait; /* inside db_exec_nowait */
static _Thread_local enum db_fault thread_fault;
static _Thread_local unsigned long thread_lock_timeouts;

/*
 * The process's view of the database's health, for readiness and the
 * log: the fault now going on (DB_FAULT_NONE: writes work), and when the
 * last fault that a lock cannot explain happened. Each kind of fault is
 * logged when it first happens, then at most once a minute with the
 * number of failures in between; that writes work again likewise.
 */
#define HARD_FAULT_READY_MS 5000

static pthread_mutex_t fault_lock = PTHREAD_MUTEX_INITIALIZER;
static enum db_fault fault_now;
static uint64_t hard_fault_ms; /* CLOCK_MONOTONIC; 0 never */
static enum db_fault hard_fault;
static atomic_int fault_active;
static struct log_every fault_log[] = {
	LOG_EVERY_INIT(60000),
	LOG_EVERY_INIT(60000),
	LOG_EVERY_INIT(60000),
	LOG_EVERY_INIT(60000),
	LOG_EVERY_INIT(60000),
};
static struct log_every ok_log = LOG_EVERY_INIT(60000);

static uint64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static const char *const fault_names[] = {
	[DB_FAULT_NONE] = "none",
	[DB_FAULT_LOCKED] = "locked",
	[DB_FAULT_DOWN] = "unavailable",
	[DB_FAULT_READONLY] = "read_only",
	[DB_FAULT_FULL] = "disk_full",
};

const char *
db_fault_name(enum db_fault f)
{
	return (size_t)f < ST_ARRAY_LEN(fault_names) ? fault_names[f] : "?";
}

void
db_event_thread(void)
{
	event_thread = 1;
}

int
db_is_event_thread(void)
{
	return event_thread || nowait;
}

enum db_fault
db_fault_get(void)
{
	return thread_fault;
}

void
db_fault_clear(void)
{
	thread_fault = DB_FAULT_NONE;
}

void
db_note_fault(enum db_fault f, const char *detail)
{
	unsigned long repeats;

	if (f <= DB_FAULT_NONE || f > DB_FAULT_FULL)
		return;
	if (f > thread_fault)
		thread_fault = f;
	if (f == DB_FAULT_LOCKED)
		thread_lock_timeouts++;
	pthread_mutex_lock(&fault_lock);
	fault_now = f;
	if (f != DB_FAULT_LOCKED) {
		hard_fault_ms = mono_ms();
		hard_fault = f;
	}
	atomic_store(&fault_active, 1);
	pthread_mutex_unlock(&fault_lock);
	if (log_every_due(&fault_log[f], &repeats))
		log_error("database fault", "{s:s,s:s,s:I}", "fault",
		    db_fault_name(f), "detail", detail != NULL ? detail : "",
		    "repeats", (json_int_t)repeats);
}

void
db_note_write_ok(void)
{
	enum db_fault was;
	unsigned long repeats;

	if (!atomic_load(&fault_active))
		return;
	pthread_mutex_lock(&fault_lock);
	was = fault_now;
	fault_now = DB_FAULT_NONE;
	atomic_store(&fault_active, 0);
	pthread_mutex_unlock(&fault_lock);
	if (was != DB_FAULT_NONE && log_every_due(&ok_log, &repeats))
		log_info("database writes again", "{s:s}", "after",
		    db_fault_name(was));
}

unsigned long
db_fault_lock_timeouts(void)
{
	return thread_lock_timeouts;
}

enum db_fault
db_fault_now(enum db_fault *hard)
{
	enum db_fault now;

	pthread_mutex_lock(&fault_lock);
	now = fault_now;
	*hard = hard_fault_ms != 0 &&
	        mono_ms() - hard_fault_ms < HARD_FAULT_READY_MS ?
	    hard_fault :
	    DB_FAULT_NONE;
	pthread_mutex_unlock(&fault_lock);
	return now;
}

void
db_fault_nowait(int on)
{
	nowait = on;
}
