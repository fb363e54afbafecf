/* The stored ciphertext of a file; see download.h. */
#include "util/common.h"

#include <errno.h>

#include "domain/download.h"
#include "store/blob.h"

/* The store's reader is the download: one type, two names. */
struct download {
	struct blob_reader *r;
};

enum download_status
download_open(const struct msg_env *env, const struct file_row *f,
    struct download **out, uint64_t *size)
{
	struct blob_reader *r = blob_reader_open(
	    env->store, f->object_key, size);

	if (r == NULL)
		return errno == ENOENT ? DOWNLOAD_GONE : DOWNLOAD_UNAVAILABLE;
	*out = xcalloc(1, sizeof(**out));
	(*out)->r = r;
	return DOWNLOAD_OK;
}

int
download_take_fd(struct download *d)
{
	return blob_reader_take_fd(d->r);
}

ssize_t
download_read(struct download *d, uint64_t offset, void *buf, size_t len)
{
	return blob_reader_read(d->r, offset, buf, len);
}

void
download_close(struct download *d)
{
	if (d == NULL)
		return;
	blob_reader_close(d->r);
	free(d);
}
