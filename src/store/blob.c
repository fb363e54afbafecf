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

static const struct blob_backend *const backends[] = { &blob_fs_backend };

struct blob_store *
blob_open(const struct config *cfg)
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
	if ((bs->h = bs->be->open(cfg)) == NULL) {
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

int
blob_write(struct blob_store *bs, const char *key, uint64_t offset,
    const void *data, size_t len)
{
	return bs->be->write(bs->h, key, offset, data, len);
}

int
blob_sync(struct blob_store *bs, const char *key)
{
	return bs->be->sync(bs->h, key);
}

int
blob_truncate(struct blob_store *bs, const char *key, uint64_t size)
{
	return bs->be->truncate(bs->h, key, size);
}

int
blob_commit(struct blob_store *bs, const char *key)
{
	return bs->be->commit(bs->h, key);
}

int
blob_open_read(struct blob_store *bs, const char *key, uint64_t *size)
{
	return bs->be->open_read(bs->h, key, size);
}

int
blob_delete(struct blob_store *bs, const char *key)
{
	return bs->be->remove(bs->h, key);
}

int
blob_free_bytes(struct blob_store *bs, uint64_t *out)
{
	return bs->be->free_bytes(bs->h, out);
}
