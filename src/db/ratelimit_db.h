/* SQL for the rate-limit counters, per key and time window. */
#ifndef ST_DB_RATELIMIT_DB_H
#define ST_DB_RATELIMIT_DB_H

#include <stdint.h>

#include "db/db.h"

/* Adds one to key's counter in the current window; returns the new
 * count, or -1 on error. */
int64_t ratelimit_hit(
    struct db_conn *c, const char *key, int64_t window, int64_t now);
enum db_status ratelimit_clear(struct db_conn *c, const char *key);
/* Takes back one hit of the current window (an attempt that succeeded). */
enum db_status ratelimit_undo(
    struct db_conn *c, const char *key, int64_t window, int64_t now);

/* Deletes the windows that started before `before` (housekeeping). */
enum db_status ratelimit_purge(struct db_conn *c, int64_t before);

#endif
