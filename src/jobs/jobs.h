/*
 * Background work of a node (O3, DESIGN §6): every jobs.interval seconds,
 * abort messages whose upload window closed and remove their objects,
 * then purge expired messages (domain/retention.h), hash new objects and
 * drop rows that only age (housekeeping.c). Each run is safe when
 * several nodes run it at once: a message changes state in one
 * transaction, and deleting an object twice is harmless. A run in which
 * a job failed (the database or the store not working) is followed by
 * a longer pause, doubling up to ten minutes (with jitter), and a failing
 * job is logged once a minute at most, with the count in between.
 */
#ifndef ST_JOBS_H
#define ST_JOBS_H

struct jobs;
struct msg_env;

/* Starts the thread; env must outlive it. NULL (logged) on failure. */
struct jobs *jobs_start(const struct msg_env *env, long interval_seconds);
/* Stops the thread after the run in progress. */
void jobs_stop(struct jobs *j);
/* One run now (also used by tests); -1 when a job failed. */
int jobs_run_once(const struct msg_env *env);
/* Deletes closed rate-limit windows and long-expired requests; 0 or -1. */
int jobs_housekeeping(const struct msg_env *env);
/* Hashes complete ciphertext objects not hashed yet; the count or -1. */
int jobs_hash_files(const struct msg_env *env);

#endif
