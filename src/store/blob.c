/* Dispatch from blob.h to the configured backend. */
#include "util/common.h"

#include "store/backend.h"
#include "store/blob.h"
#include "util/config.h"
#include "util/log.h"

struct blob_store {
	const struct blob_backend *be;
	void *h;
};

/* A writer or reader remembers its backend so calls need no store. */
struct blob_writer {
	const struct blob_backend *be;
	void *w;
};

struct blob_reader {
	const struct blob_backend *be;
	void *r;
};

static const struct blob_backend *const backends[] = { &blob_fs_backend,
	&blob_s3_backend };

int
blob_key_ok(const char *key)
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

struct blob_store *
blob_open(const struct config *cfg, struct db *db)
{
	struct blob_store *bs;
	size_t i;

	for (i = 0; i < ST_ARRAY_LEN(backends); i++)
		if (strcmp(backends[i]->name, cfg->store_driver) == 0)
			break;
	if (i == ST_ARRAY_LEN(backends)) {
		log_error("blob store driver not built in", "{s:s}", "driver",
		    cfg->store_driver);
		return NULL;
	}
	bs = xcalloc(1, sizeof(*bs));
	bs->be = backends[i];
	if ((bs->h = bs->be->open(cfg, db)) == NULL) {
		free(bs);
		return NULL;
	}
	return bs;
}

void
blob_close(struct blob_store *bs)
{
	if (bs == NULL)
		return;
	bs->be->close(bs->h);
	free(bs);
}

struct blob_writer *
blob_writer_open(struct blob_store *bs, const char *key, uint64_t offset)
{
	struct blob_writer *w;
	void *bw;

	if (!blob_key_ok(key)) {
		errno = EINVAL;
		return NULL;
	}
	if ((bw = bs->be->writer_open(bs->h, key, offset)) == NULL)
		return NULL;
	w = xcalloc(1, sizeof(*w));
	w->be = bs->be;
	w->w = bw;
	return w;
}

int
blob_writer_write(struct blob_writer *w, const void *data, size_t len)
{
	return len == 0 ? 0 : w->be->write(w->w, data, len);
}

int
blob_writer_sync(struct blob_writer *w)
{
	return w->be->sync(w->w);
}

int
blob_writer_commit(struct blob_writer *w)
{
	return w->be->commit(w->w);
}

void
blob_writer_close(struct blob_writer *w)
{
	if (w == NULL)
		return;
	w->be->writer_close(w->w);
	free(w);
}

struct blob_reader *
blob_reader_open(struct blob_store *bs, const char *key, uint64_t *size)
{
	struct blob_reader *r;
	void *br;

	if (!blob_key_ok(key)) {
		errno = EINVAL;
		return NULL;
	}
	if ((br = bs->be->reader_open(bs->h, key, size)) == NULL)
		return NULL;
	r = xcalloc(1, sizeof(*r));
	r->be = bs->be;
	r->r = br;
	return r;
}

ssize_t
blob_reader_read(struct blob_reader *r, uint64_t offset, void *buf, size_t len)
{
	return r->be->read(r->r, offset, buf, len);
}

int
blob_reader_take_fd(struct blob_reader *r)
{
	return r->be->take_fd(r->r);
}

void
blob_reader_close(struct blob_reader *r)
{
	if (r == NULL)
		return;
	r->be->reader_close(r->r);
	free(r);
}

int
blob_delete(struct blob_store *bs, const char *key)
{
	if (!blob_key_ok(key)) {
		errno = EINVAL;
		return -1;
	}
	return bs->be->remove(bs->h, key);
}

int
blob_free_bytes(struct blob_store *bs, uint64_t *out)
{
	return bs->be->free_bytes(bs->h, out);
}

int
blob_sweep(struct blob_store *bs, int64_t cutoff)
{
	return bs->be->sweep(bs->h, cutoff);
}
