/*
 * The file-system blob store: <store.path>/<k0k1>/<k2k3>/<key> for
 * committed objects, <store.path>/staging/<key> while being written.
 * Keys are server-made base64url ids (checked in blob.c), so no input
 * ever becomes a path. Files are 0600 and opened O_NOFOLLOW.
 */
#include "util/common.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "store/backend.h"
#include "store/blob.h"
#include "util/config.h"
#include "util/fsutil.h"
#include "util/log.h"

struct fs_store {
	char *root;
};

struct fs_writer {
	struct fs_store *bs;
	char key[65];
	int fd; /* the staged file; -1 when already committed */
	int new_name; /* the staging folder entry may not be durable yet */
	uint64_t pos;
	uint64_t kicked; /* writeback started for the bytes below this */
};

/* Writeback is started every KICK_BYTES while a PATCH comes in, so the
 * fdatasync at its end waits for the last few MiB instead of all of them
 * (half of a 64 MiB PATCH's time was that fdatasync; bench/upload-ingest). */
#define KICK_BYTES (8u << 20)

struct fs_reader {
	int fd;
};

static int
staged_path(struct fs_store *bs, const char *key, char *out, size_t len)
{
	int n = snprintf(out, len, "%s/staging/%s", bs->root, key);

	return n > 0 && (size_t)n < len ? 0 : -1;
}

static int
final_path(
    struct fs_store *bs, const char *key, char *out, size_t len, int make_dirs)
{
	char dir[4096];
	int n;

	n = snprintf(dir, sizeof(dir), "%s/%.2s/%.2s", bs->root, key, key + 2);
	if (n < 0 || (size_t)n >= sizeof(dir))
		return -1;
	if (make_dirs && mkdir_p(dir, 0700) == -1)
		return -1;
	n = snprintf(out, len, "%s/%s", dir, key);
	return n > 0 && (size_t)n < len ? 0 : -1;
}

static void *
fs_open(const struct config *cfg, struct db *db)
{
	struct fs_store *bs;
	char staging[4096];

	(void)db;
	if ((size_t)snprintf(staging, sizeof(staging), "%s/staging",
	        cfg->store_path) >= sizeof(staging)) {
		log_error("store.path too long", NULL);
		return NULL;
	}
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

/* A committed object of exactly size bytes: the commit of an earlier
 * writer went through but its caller did not record it. */
static int
committed_at(struct fs_store *bs, const char *key, uint64_t size)
{
	char path[4096];
	struct stat st;

	return final_path(bs, key, path, sizeof(path), 0) == 0 &&
	    stat(path, &st) == 0 && (uint64_t)st.st_size == size;
}

/* Cuts the staged file to offset: bytes past it were never acknowledged.
 * A file shorter than offset lost acknowledged bytes (never after
 * fdatasync; a folder restored from an old copy perhaps). */
static int
cut_to(int fd, uint64_t offset)
{
	struct stat st;

	if (fstat(fd, &st) == -1)
		return -1;
	if ((uint64_t)st.st_size < offset) {
		errno = EIO;
		return -1;
	}
	return ftruncate(fd, (off_t)offset);
}

static void *
fs_writer_open(void *h, const char *key, uint64_t offset)
{
	struct fs_store *bs = h;
	struct fs_writer *w;
	char path[4096];
	int fd, flags = O_WRONLY | O_NOFOLLOW | O_CLOEXEC;

	if (staged_path(bs, key, path, sizeof(path)) == -1)
		return NULL;
	if ((fd = open(path, flags | (offset == 0 ? O_CREAT : 0), 0600)) ==
	    -1) {
		/* Only a commit (a no-op) can follow a finished object. */
		if (errno != ENOENT || !committed_at(bs, key, offset)) {
			errno = errno == ENOENT ? EIO : errno;
			return NULL;
		}
	} else if (cut_to(fd, offset) == -1) {
		int saved = errno;

		close(fd);
		errno = saved;
		return NULL;
	}
	w = xcalloc(1, sizeof(*w));
	w->bs = bs;
	snprintf(w->key, sizeof(w->key), "%s", key);
	w->fd = fd;
	w->new_name = fd != -1 && offset == 0;
	w->pos = w->kicked = offset;
	return w;
}

static int
fs_write(void *h, const void *data, size_t len)
{
	struct fs_writer *w = h;
	const char *p = data;

	if (w->fd == -1) {
		errno = EIO;
		return -1;
	}
	while (len > 0) {
		ssize_t n = pwrite(w->fd, p, len, (off_t)w->pos);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
		w->pos += (uint64_t)n;
	}
	if (w->pos - w->kicked >= KICK_BYTES) {
		/* Starts the writes, waits for none; a hint, like fadvise. */
		(void)sync_file_range(w->fd, (off_t)w->kicked,
		    (off_t)(w->pos - w->kicked), SYNC_FILE_RANGE_WRITE);
		w->kicked = w->pos;
	}
	return 0;
}

static int
fs_sync(void *h)
{
	struct fs_writer *w = h;

	if (w->fd == -1)
		return 0;
	if (fdatasync(w->fd) == -1)
		return -1;
	/* The bytes are durable, but a file just created could still lose its
	 * name in a crash: the first sync also syncs the staging folder. */
	if (w->new_name) {
		char path[4096];

		if (staged_path(w->bs, w->key, path, sizeof(path)) == -1 ||
		    fsync_parent(path) == -1)
			return -1;
		w->new_name = 0;
	}
	/* The synced pages are clean: hand them back now rather than let an
	 * upload of gigabytes push everything else out of the page cache.
	 * Their reuse also makes the next writes cheaper than fresh pages
	 * (bench/upload-ingest). A hint: its failure changes nothing. */
	(void)posix_fadvise(w->fd, 0, 0, POSIX_FADV_DONTNEED);
	return 0;
}

static int
fs_commit(void *h)
{
	struct fs_writer *w = h;
	char from[4096], to[4096];

	if (w->fd == -1)
		return 0; /* committed before */
	if (staged_path(w->bs, w->key, from, sizeof(from)) == -1 ||
	    final_path(w->bs, w->key, to, sizeof(to), 1) == -1)
		return -1;
	if (fsync(w->fd) == -1 || rename(from, to) == -1)
		return -1;
	/* The caller records the object as complete next: its new name must
	 * be on disk first. (A lost removal from staging/ leaves a copy that
	 * fs_sweep deletes.) */
	return fsync_parent(to);
}

static void
fs_writer_close(void *h)
{
	struct fs_writer *w = h;

	if (w->fd != -1)
		close(w->fd);
	free(w);
}

static void *
fs_reader_open(void *h, const char *key, uint64_t *size)
{
	struct fs_store *bs = h;
	struct fs_reader *r;
	char path[4096];
	struct stat st;
	int fd;

	if (final_path(bs, key, path, sizeof(path), 0) == -1)
		return NULL;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return NULL;
	if (fstat(fd, &st) == -1) {
		close(fd);
		return NULL;
	}
	*size = (uint64_t)st.st_size;
	/* Objects are read front to back (sendfile): a larger readahead
	 * helps a cold cache. A hint: its failure changes nothing. */
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	r = xcalloc(1, sizeof(*r));
	r->fd = fd;
	return r;
}

static ssize_t
fs_read(void *h, uint64_t offset, void *buf, size_t len)
{
	struct fs_reader *r = h;
	ssize_t n;

	if (r->fd == -1) {
		errno = EBADF;
		return -1;
	}
	do
		n = pread(r->fd, buf, len, (off_t)offset);
	while (n == -1 && errno == EINTR);
	return n;
}

static int
fs_take_fd(void *h)
{
	struct fs_reader *r = h;
	int fd = r->fd;

	r->fd = -1;
	return fd;
}

static void
fs_reader_close(void *h)
{
	struct fs_reader *r = h;

	if (r->fd != -1)
		close(r->fd);
	free(r);
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

/* Staged files untouched since before cutoff belong to no live upload
 * (the cutoff lies past every upload window). */
static int
fs_sweep(void *h, int64_t cutoff)
{
	struct fs_store *bs = h;
	char dir[4096];
	struct dirent *e;
	struct stat st;
	int n = 0;
	DIR *d;

	/* bs->root fit at fs_open, where the same path was made. */
	if ((size_t)snprintf(dir, sizeof(dir), "%s/staging", bs->root) >=
	        sizeof(dir) ||
	    (d = opendir(dir)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (!blob_key_ok(e->d_name) ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) ==
		        -1 ||
		    !S_ISREG(st.st_mode) || st.st_mtime >= cutoff)
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) == 0)
			n++;
	}
	closedir(d);
	return n;
}

const struct blob_backend blob_fs_backend = {
	.name = "fs",
	.open = fs_open,
	.close = fs_close,
	.writer_open = fs_writer_open,
	.write = fs_write,
	.sync = fs_sync,
	.commit = fs_commit,
	.writer_close = fs_writer_close,
	.reader_open = fs_reader_open,
	.read = fs_read,
	.take_fd = fs_take_fd,
	.reader_close = fs_reader_close,
	.remove = fs_delete,
	.free_bytes = fs_free_bytes,
	.sweep = fs_sweep,
};
