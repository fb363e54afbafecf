/*
 * The upload of one file's ciphertext (tus 1.0; SECURITY.md §1.9): its
 * length must be the STF1 size of the declared plaintext size; one PATCH
 * at a time (a lease in the database, so it holds across nodes); an offset
 * is acknowledged only after fdatasync; the first 96 bytes must be an STF1
 * header for this message and file index; the object is committed on the
 * last byte. Memory per upload is constant.
 */
#ifndef ST_UPLOADS_H
#define ST_UPLOADS_H

#include <stdint.h>

#include "domain/messages.h"

struct upload_info {
	char msg_id[RAND_ID_LEN + 1];
	uint64_t offset, length;
	int64_t deadline;
	int done;
	/* At a PATCH's end, why it kept less than it was sent: the store
	 * failed (its errno), or the offset could not be recorded (enum
	 * db_fault). 0 for neither. */
	int store_errno;
	int db_fault;
};

/*
 * At start-up: a PATCH lease of a process that died (kill -9, power loss)
 * would refuse the client's resume with 409 until it runs out. Each lease
 * names the node that took it (server.node_id, stable across restarts),
 * so a starting node ends the leases of its own dead process and leaves
 * those of the other nodes, which may be live, alone.
 */
int uploads_release_leases(struct db *db, const char *node_id);

/* tus creation: (re)starts the upload of file_id with length bytes. */
struct st_result uploads_create(const struct msg_env *env, const struct user *u,
    const char *file_id, uint64_t length, struct upload_info *info);
/* tus HEAD. */
struct st_result uploads_info(const struct msg_env *env, const struct user *u,
    const char *file_id, struct upload_info *info);
/*
 * tus termination: drops what was uploaded of file_id; the upload is then
 * gone (ST_GONE "upload_terminated" for HEAD, PATCH and DELETE) until a
 * new creation of the same file starts it again. ST_CONFLICT while a
 * PATCH is in progress.
 */
struct st_result uploads_delete(
    const struct msg_env *env, const struct user *u, const char *file_id);

struct upload; /* one PATCH in progress */

/*
 * Starts a PATCH at offset with (if known) body_len bytes; on ST_OK *up
 * holds the lease. Always end it with uploads_patch_end.
 */
struct st_result uploads_patch_begin(const struct msg_env *env,
    const struct user *u, const char *file_id, uint64_t offset,
    int64_t body_len, struct upload **up);
/* Stores a chunk of the body; a refusal leaves what came before intact. */
struct st_result uploads_patch_data(
    struct upload *up, const char *data, size_t len);
/*
 * Drops what this PATCH brought: uploads_patch_end then acknowledges
 * nothing past the offset it began at and commits nothing (the tus
 * checksum extension: a body whose checksum does not match, or that
 * did not arrive whole, is discarded).
 */
void uploads_patch_discard(struct upload *up);
/*
 * Makes the stored bytes durable and records the new offset (also when
 * the client went away mid-body); commits the object on the last byte.
 * Returns the offset now acknowledged. Frees up.
 */
uint64_t uploads_patch_end(struct upload *up, struct upload_info *info);

/*
 * The same, off the caller's thread: a PATCH's end waits on the disk (an
 * fdatasync of the blob, a commit of the database), which must not hold
 * the HTTP thread and every connection it serves. A syncer's threads
 * settle the blobs, several at once, and record the offsets of all the
 * PATCHes whose blobs are durable in one transaction (one fsync of the
 * database for many PATCHes), then call done(arg, info) for each, on a
 * syncer thread. Durability is unchanged: done sees an offset only once
 * its bytes and the offset are on disk.
 */
typedef void (*uploads_done_fn)(void *arg, const struct upload_info *info);
struct uploads_syncer;

/* threads: how many blobs may be synced at once. NULL: cannot start. */
struct uploads_syncer *uploads_syncer_start(struct db *db, unsigned threads);
void uploads_patch_end_async(struct uploads_syncer *s, struct upload *up,
    uploads_done_fn done, void *arg);
/* Waits until every PATCH handed over is done. */
void uploads_syncer_settle(struct uploads_syncer *s);
/* Settles, then ends the threads; NULL is a no-op. */
void uploads_syncer_stop(struct uploads_syncer *s);

#endif
