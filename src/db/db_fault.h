/*
 * The database's faults as the process sees them (db.h: db_note_fault and
 * friends), and what db.c needs of them. Private to src/db.
 */
#ifndef ST_DB_FAULT_H
#define ST_DB_FAULT_H

#include "db/db.h"

/* Lock timeouts this thread met so far (db_tx retries none of them). */
unsigned long db_fault_lock_timeouts(void);
/*
 * The fault going on now (DB_FAULT_NONE: writes work); *hard gets the
 * last fault a lock cannot explain if it happened within the last five
 * seconds, else DB_FAULT_NONE.
 */
enum db_fault db_fault_now(enum db_fault *hard);
/* Inside db_exec_nowait: this thread waits for no lock held elsewhere. */
void db_fault_nowait(int on);

#endif
