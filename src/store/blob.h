/*
 * The blob store: where ciphertext objects live. Backends sit behind a
 * table of function pointers (fs now, s3 in the scale-out issue); callers
 * never test which one they have. Object keys are made by the server
 * (random ids), never from user input.
 *
 * An object is written while it is "staged" (resumable, at any offset)
 * and becomes readable after blob_commit. Sizes are uint64_t.
 */
#ifndef ST_BLOB_H
#define ST_BLOB_H

#include <stddef.h>
#include <stdint.h>

struct config;
struct blob_store;

/* Opens the backend named by store.driver; NULL (logged) on failure. */
struct blob_store *blob_open(const struct config *cfg);
void blob_close(struct blob_store *bs);

/*
 * Writes len bytes at offset of the staged object key (created if absent,
 * mode 0600). 0, or -1 with errno (ENOSPC: the disk is full).
 */
int blob_write(struct blob_store *bs, const char *key, uint64_t offset,
    const void *data, size_t len);
/* Makes everything written so far durable (fdatasync). */
int blob_sync(struct blob_store *bs, const char *key);
/* Cuts the staged object to size (drops bytes past the acknowledged end). */
int blob_truncate(struct blob_store *bs, const char *key, uint64_t size);
/* Moves the staged object into place: readable from now on. */
int blob_commit(struct blob_store *bs, const char *key);
/*
 * Opens a committed object for reading; the caller owns the fd.
 * -1 with errno ENOENT when absent.
 */
int blob_open_read(struct blob_store *bs, const char *key, uint64_t *size);
/* Removes the object, staged or committed; absent is not an error. */
int blob_delete(struct blob_store *bs, const char *key);
/* Free bytes where objects are written (for the disk reserve). */
int blob_free_bytes(struct blob_store *bs, uint64_t *out);

#endif
