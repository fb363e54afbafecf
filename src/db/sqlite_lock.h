/*
 * The SQLite driver's write gate. SQLite lets one connection write at a
 * time, so this process lets one of its connections try at a time: a
 * writer takes the gate before it asks SQLite for the write lock (BEGIN
 * IMMEDIATE, or a write outside a transaction) and gives it back when the
 * lock is gone (the commit, a rollback). Writers of this process queue
 * here, woken in turn, instead of each polling SQLite's lock; and when the
 * holder of the gate is refused the lock, whoever has it is another
 * process: an operator's sqlite3, a backup tool, `securetransferd purge`.
 *
 * Such a lock is waited for at most database.lock_timeout, by the holder
 * and the writers queued behind it together, never once per writer; after
 * that every writer tries the lock once and gives up at once (DB_BUSY,
 * DB_FAULT_LOCKED: the request answers 503) until a write gets through.
 * So under a lock held for minutes no thread waits longer than the
 * timeout, reads go on (WAL: they never need the lock), and the HTTP
 * threads, which do not wait for such a lock at all (db_event_thread),
 * stay free for everything else.
 */
#ifndef ST_SQLITE_LOCK_H
#define ST_SQLITE_LOCK_H

#include <stdint.h>

/* One per connection, zeroed with it. */
struct sqlite_lock {
	int gated; /* holds the gate */
	int probing; /* a readiness probe: waits SQLITE_LOCK_PROBE_MS at most */
	uint64_t busy_since; /* ms, first refusal of the current wait */
};

#define SQLITE_LOCK_PROBE_MS 250

/* database.lock_timeout in milliseconds. */
void sqlite_lock_setup(int64_t lock_timeout_ms);
/* 0 holding the gate, -1 (DB_FAULT_LOCKED noted) not within the limit. */
int sqlite_lock_enter(struct sqlite_lock *l);
/* Gives the gate back; a no-op when l does not hold it. */
void sqlite_lock_leave(struct sqlite_lock *l);
/* The holder got SQLite's write lock: nobody else holds it now. */
void sqlite_lock_got(void);
/*
 * Who has the gate now: SQLITE_LOCK_FREE, SQLITE_LOCK_OURS (a writer of
 * this process is at work: the database takes writes) or
 * SQLITE_LOCK_ELSEWHERE (its holder waits for another process's lock).
 */
enum sqlite_lock_state {
	SQLITE_LOCK_FREE,
	SQLITE_LOCK_OURS,
	SQLITE_LOCK_ELSEWHERE
};
enum sqlite_lock_state sqlite_lock_state(void);

/*
 * The busy handler's work (sqlite3_busy_handler): 1 to try again after a
 * short pause, 0 to give up (SQLITE_BUSY).
 */
int sqlite_lock_busy(struct sqlite_lock *l, int tries);

#endif
