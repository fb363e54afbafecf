/*
 * The file-system blob store: <store.path>/<k0k1>/<k2k3>/<key> for
 * committed objects, <store.path>/staging/<key> while being written.
 * Keys are server-made base64url ids; anything else is refused, so no
 * input ever becomes a path. Files are 0600 and opened O_NOFOLLOW.
 */
#include "util/common.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "store/blob.h"
#include "store/backend.h"
#include "util/config.h"
#include "util/fsutil.h"
#include "util/log.h"

struct fs_store {
	char *root;
};

static int
key_ok(const char *key)
{
	size_t i, n = strlen(key);

	if (n < 16 || n > 64)
		return 0;
	for (i = 0; i < n; i++) {
		char c = key[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		        (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return 0;
	}
	return 1;
}

static int
staged_path(struct fs_store *bs, const char *key, char *out, size_t len)
{
	int n;

	if (!key_ok(key)) {
		errno = EINVAL;
		return -1;
	}
	n = snprintf(out, len, "%s/staging/%s", bs->root, key);
	return n > 0 && (size_t)n < len ? 0 : -1;
}

static int
final_path(
    struct fs_store *bs, const char *key, char *out, size_t len, int make_dirs)
{
	char dir[4096];
	int n;

	if (!key_ok(key)) {
		errno = EINVAL;
		return -1;
	}
	n = snprintf(dir, sizeof(dir), "%s/%.2s/%.2s", bs->root, key, key + 2);
	if (n < 0 || (size_t)n >= sizeof(dir))
		return -1;
	if (make_dirs && mkdir_p(dir, 0700) == -1)
		return -1;
	n = snprintf(out, len, "%s/%s", dir, key);
	return n > 0 && (size_t)n < len ? 0 : -1;
}

static void *
fs_open(const struct config *cfg)
{
	struct fs_store *bs;
	char staging[4096];

	snprintf(staging, sizeof(staging), "%s/staging", cfg->store_path);
	if (mkdir_p(staging, 0700) == -1) {
		log_error("cannot create blob folder", "{s:s,s:s}", "path",
		    staging, "error", strerror(errno));
		return NULL;
	}
	bs = xcalloc(1, sizeof(*bs));
	bs->root = xstrdup(cfg->store_path);
	return bs;
}

static void
fs_close(void *h)
{
	struct fs_store *bs = h;

	free(bs->root);
	free(bs);
}

static int
open_staged(struct fs_store *bs, const char *key, int flags)
{
	char path[4096];

	if (staged_path(bs, key, path, sizeof(path)) == -1)
		return -1;
	return open(path, flags | O_NOFOLLOW | O_CLOEXEC, 0600);
}

static int
fs_write(
    void *h, const char *key, uint64_t offset, const void *data, size_t len)
{
	struct fs_store *bs = h;
	const char *p = data;
	int fd = open_staged(bs, key, O_WRONLY | O_CREAT);

	if (fd == -1)
		return -1;
	while (len > 0) {
		ssize_t n = pwrite(fd, p, len, (off_t)offset);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			int saved = errno;

			close(fd);
			errno = saved;
			return -1;
		}
		p += n;
		len -= (size_t)n;
		offset += (uint64_t)n;
	}
	return close(fd);
}

static int
fs_sync(void *h, const char *key)
{
	struct fs_store *bs = h;
	int fd = open_staged(bs, key, O_WRONLY | O_CREAT), r;

	if (fd == -1)
		return -1;
	r = fdatasync(fd);
	/* The synced pages are clean: hand them back now rather than let an
	 * upload of gigabytes push everything else out of the page cache.
	 * Their reuse also makes the next writes cheaper than fresh pages
	 * (bench/upload-ingest). A hint: its failure changes nothing. */
	if (r == 0)
		(void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	close(fd);
	return r;
}

static int
fs_truncate(void *h, const char *key, uint64_t size)
{
	struct fs_store *bs = h;
	int fd = open_staged(bs, key, O_WRONLY | O_CREAT), r;

	if (fd == -1)
		return -1;
	r = ftruncate(fd, (off_t)size);
	close(fd);
	return r;
}

static int
fs_commit(void *h, const char *key)
{
	struct fs_store *bs = h;
	char from[4096], to[4096];
	int fd;

	if (staged_path(bs, key, from, sizeof(from)) == -1 ||
	    final_path(bs, key, to, sizeof(to), 1) == -1)
		return -1;
	if ((fd = open(from, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -1;
	if (fsync(fd) == -1) {
		close(fd);
		return -1;
	}
	close(fd);
	return rename(from, to);
}

static int
fs_open_read(void *h, const char *key, uint64_t *size)
{
	struct fs_store *bs = h;
	char path[4096];
	struct stat st;
	int fd;

	if (final_path(bs, key, path, sizeof(path), 0) == -1)
		return -1;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &st) == -1) {
		close(fd);
		return -1;
	}
	*size = (uint64_t)st.st_size;
	/* Objects are read front to back (sendfile): a larger readahead
	 * helps a cold cache. A hint: its failure changes nothing. */
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	return fd;
}

static int
fs_delete(void *h, const char *key)
{
	struct fs_store *bs = h;
	char path[4096];
	int rc = 0;

	if (staged_path(bs, key, path, sizeof(path)) == 0 &&
	    unlink(path) == -1 && errno != ENOENT)
		rc = -1;
	if (final_path(bs, key, path, sizeof(path), 0) == 0 &&
	    unlink(path) == -1 && errno != ENOENT)
		rc = -1;
	return rc;
}

static int
fs_free_bytes(void *h, uint64_t *out)
{
	struct fs_store *bs = h;
	struct statvfs sv;

	if (statvfs(bs->root, &sv) == -1)
		return -1;
	*out = (uint64_t)sv.f_bavail * (uint64_t)sv.f_frsize;
	return 0;
}

const struct blob_backend blob_fs_backend = {
	.name = "fs",
	.open = fs_open,
	.close = fs_close,
	.write = fs_write,
	.sync = fs_sync,
	.truncate = fs_truncate,
	.commit = fs_commit,
	.open_read = fs_open_read,
	.remove = fs_delete,
	.free_bytes = fs_free_bytes,
};
