/*
 * The numbered schema migrations, embedded at build time from
 * src/db/migrations/NNNN_name.sql by scripts/embed-migrations.
 */
#ifndef ST_MIGRATIONS_H
#define ST_MIGRATIONS_H

#include <stdint.h>

struct migration {
	int64_t version;
	const char *name;
	const char *sql;
};

/* Ordered by version, ended by an entry with name NULL. */
extern const struct migration migrations[];

#endif
