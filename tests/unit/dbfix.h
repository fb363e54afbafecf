/*
 * A migrated database for a unit test, on SQLite (a temp file) and, when
 * ST_TEST_PG names a PostgreSQL server (tests/run-all starts one), on
 * PostgreSQL in a schema of its own.
 */
#ifndef ST_TEST_DBFIX_H
#define ST_TEST_DBFIX_H

#include "db/db.h"
#include "util/config.h"

struct dbfix {
	struct config cfg;
	struct db *db;
	char dir[64];
	char schema[32];
};

/* Opens a migrated database on driver ("sqlite" or "postgres"). */
int open_fix(struct dbfix *f, const char *driver, int pool);
void close_fix(struct dbfix *f);
/* Runs body on each driver available (postgres only with ST_TEST_PG). */
void each_driver(void (*body)(struct dbfix *f, const char *driver), int pool);

#endif
