/*
 * What /readyz asks of a node (O5): can it store, read back and delete an
 * object, and are the files it serves in place. Each check is cheap enough
 * for a load balancer that asks every few seconds.
 */
#ifndef ST_HEALTH_H
#define ST_HEALTH_H

struct blob_store;

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

#endif
