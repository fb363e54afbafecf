/*
 * The blob store: where ciphertext objects live. Backends sit behind a
 * table of function pointers (fs: a local folder; s3: an S3-compatible
 * object store); callers never test which one they have. Object keys are
 * made by the server (random ids), never from user input.
 *
 * An object is written while it is "staged", through a writer that starts
 * at the offset the database acknowledged (any node may continue what
 * another began), and becomes readable when the writer commits it. Sizes
 * and offsets are uint64_t.
 */
#ifndef ST_BLOB_H
#define ST_BLOB_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct config;
struct db;
struct blob_store;
struct blob_writer;
struct blob_reader;

/*
 * Opens the backend named by store.driver; NULL (logged) on failure. The
 * s3 backend keeps its multipart state in db, which must outlive it.
 */
struct blob_store *blob_open(const struct config *cfg, struct db *db);
void blob_close(struct blob_store *bs);

/*
 * Starts writing the staged object key at offset, the end of what was
 * acknowledged before; anything staged past it (written but never
 * acknowledged) is dropped. NULL with errno on failure (EIO: the staged
 * state does not reach offset). One writer per key at a time (the upload
 * lease sees to that).
 */
struct blob_writer *blob_writer_open(
    struct blob_store *bs, const char *key, uint64_t offset);
/* Appends len bytes; 0, or -1 with errno (ENOSPC: the store is full). */
int blob_writer_write(struct blob_writer *w, const void *data, size_t len);
/* Makes everything written so far durable: a node that dies after this
 * loses nothing of it. 0 or -1 with errno. */
int blob_writer_sync(struct blob_writer *w);
/* Everything written is the whole object: makes it durable and readable.
 * 0 or -1 with errno; may be retried with a new writer at the end. */
int blob_writer_commit(struct blob_writer *w);
/* Ends the writer (NULL is a no-op); bytes not synced may be lost. */
void blob_writer_close(struct blob_writer *w);

/*
 * Opens a committed object for reading, with its size. NULL with errno
 * ENOENT when absent, other errno values on failure.
 */
struct blob_reader *blob_reader_open(
    struct blob_store *bs, const char *key, uint64_t *size);
/*
 * Reads up to len bytes at offset into buf: the count (0 at the end), or
 * -1 with errno. Reading front to back is the fast path; memory stays
 * bounded whatever the object size.
 */
ssize_t blob_reader_read(
    struct blob_reader *r, uint64_t offset, void *buf, size_t len);
/*
 * The object's file descriptor, handed over to the caller (for sendfile),
 * when the backend keeps objects in files; -1 when it streams them. The
 * reader must still be closed.
 */
int blob_reader_take_fd(struct blob_reader *r);
void blob_reader_close(struct blob_reader *r); /* NULL is a no-op */

/* Removes the object, staged or committed; absent is not an error. */
int blob_delete(struct blob_store *bs, const char *key);
/* Free bytes where objects are written (for the disk reserve); -1 when
 * the backend cannot tell (then no reserve is enforced). */
int blob_free_bytes(struct blob_store *bs, uint64_t *out);
/*
 * Lists the store for leftovers no upload owns any more (staged state
 * older than cutoff, a Unix time, that the database does not know) and
 * removes them. The count removed, or -1.
 */
int blob_sweep(struct blob_store *bs, int64_t cutoff);

#endif
