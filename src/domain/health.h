/*
 * What /readyz asks of a node (O5): can it store, read back and delete an
 * object, and are the files it serves in place. Each check is cheap enough
 * for a load balancer that asks every few seconds.
 */
#ifndef ST_HEALTH_H
#define ST_HEALTH_H

#include <stddef.h>
#include <stdint.h>

struct blob_store;
struct db;

/*
 * Writes a small probe object under a fresh random key, commits it, reads
 * it back, compares, and deletes it: 0 when all of that worked, -1 with
 * the step that failed in *step ("write", "read", "compare", "delete").
 * A success is remembered for HEALTH_PROBE_CACHE seconds, so frequent
 * checks do not each cost an fsync or S3 requests; a failure is not.
 */
#define HEALTH_PROBE_CACHE 5
int health_store_probe(struct blob_store *bs, const char **step);

/* 0 when dir/name is a readable regular file, else -1 with errno. */
int health_file(const char *dir, const char *name);

/*
 * Whether the database takes writes now: 1 yes; 0 no, with the reason in
 * why ("locked by another process", "disk full", ...). Bounded by a few
 * hundred milliseconds (db_ready; health_db.c).
 */
int health_database(struct db *db, char *why, size_t len);

/* The database's figures for /metrics. */
struct health_db_figures {
	int64_t pool_size, pool_in_use, pool_waiting;
	int outbox_ok; /* the outbox figures could be read */
	int64_t outbox_pending, outbox_oldest_age; /* rows, seconds */
};
/* Fills f at now; never waits for a connection (the outbox figures are
 * left out while the pool is exhausted). */
void health_db_figures(struct db *db, int64_t now, struct health_db_figures *f);

#endif
