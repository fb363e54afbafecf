/* The thread's infrastructure fault for http/ and api/; see fault.h. */
#include "util/common.h"

#include "db/db.h"
#include "domain/fault.h"

_Static_assert((int)ST_FAULT_NONE == (int)DB_FAULT_NONE &&
        (int)ST_FAULT_LOCKED == (int)DB_FAULT_LOCKED &&
        (int)ST_FAULT_DOWN == (int)DB_FAULT_DOWN &&
        (int)ST_FAULT_READONLY == (int)DB_FAULT_READONLY &&
        (int)ST_FAULT_FULL == (int)DB_FAULT_FULL,
    "enum st_fault mirrors enum db_fault");

enum st_fault
fault_get(void)
{
	return (enum st_fault)db_fault_get();
}

void
fault_clear(void)
{
	db_fault_clear();
}

void
fault_event_thread(void)
{
	db_event_thread();
}
