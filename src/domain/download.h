/*
 * The stored ciphertext of a file a reader may have (R5): opened for
 * reading once the access rule (access.h) and receive_file allowed it.
 * The api layer streams it; it never opens the store itself.
 */
#ifndef ST_DOWNLOAD_H
#define ST_DOWNLOAD_H

#include <stdint.h>
#include <sys/types.h>

#include "db/messages_db.h"
#include "domain/messages.h"

struct download; /* one opened object; owned by whoever holds it */

enum download_status {
	DOWNLOAD_OK,
	DOWNLOAD_GONE, /* the object is absent (purged) */
	DOWNLOAD_UNAVAILABLE, /* the store does not answer: try again */
};

/* Opens f's object: *out and *size on DOWNLOAD_OK. */
enum download_status download_open(const struct msg_env *env,
    const struct file_row *f, struct download **out, uint64_t *size);
/*
 * The object's file descriptor, handed over (for sendfile), when the
 * store keeps objects in files; -1 when it streams them. d must still be
 * closed.
 */
int download_take_fd(struct download *d);
/* Up to len bytes at offset: the count, 0 at the end, -1 (errno). */
ssize_t download_read(
    struct download *d, uint64_t offset, void *buf, size_t len);
void download_close(struct download *d); /* NULL is a no-op */

#endif
