/*
 * The infrastructure faults a request met, for the layers above the
 * domain (DESIGN §3: a request that failed because the database is
 * locked, unreachable, read-only or out of disk answers 503 or 507 with
 * Retry-After, not 500). The drivers record the worst fault the calling
 * thread met (db.h); http/ clears it before a handler, reads it after and
 * lets api/errors.c answer it, without reaching into db/ itself. The
 * values are those of db.h's enum db_fault, in the same order.
 */
#ifndef ST_FAULT_H
#define ST_FAULT_H

enum st_fault {
	ST_FAULT_NONE = 0,
	ST_FAULT_LOCKED, /* a lock held elsewhere outlasted lock_timeout */
	ST_FAULT_DOWN, /* no connection, or an I/O error */
	ST_FAULT_READONLY, /* the database refuses writes */
	ST_FAULT_FULL /* no space left (disk or quota) */
};

/* The worst fault the calling thread met since fault_clear(). */
enum st_fault fault_get(void);
void fault_clear(void);

/*
 * Marks the calling thread as one that serves many connections (an event
 * loop): its statements never wait for a lock held by another process or
 * node (db_event_thread).
 */
void fault_event_thread(void);

#endif
