/*
 * Claims on the background jobs, so that of several nodes one runs each
 * job at a time (DESIGN.md §6). A row per job names the node holding it
 * and until when; a node that died stops holding it when that time has
 * passed, and the same node started again may take it back at once.
 */
#ifndef ST_JOBS_DB_H
#define ST_JOBS_DB_H

#include <stdint.h>

#include "db/db.h"

/* Takes or extends job name for owner until until_us: 1 held, 0 another
 * node holds it, -1 error. One statement, so two nodes cannot both win. */
int job_claim(struct db_conn *c, const char *name, const char *owner,
    int64_t now_us, int64_t until_us);
/* Lets go of job name, if owner holds it. */
enum db_status job_release(
    struct db_conn *c, const char *name, const char *owner);

#endif
