/* The table each blob store backend fills in (see blob.h for semantics). */
#ifndef ST_BLOB_BACKEND_H
#define ST_BLOB_BACKEND_H

#include <stddef.h>
#include <stdint.h>

struct config;

struct blob_backend {
	const char *name;
	void *(*open)(const struct config *cfg);
	void (*close)(void *h);
	int (*write)(void *h, const char *key, uint64_t offset,
	    const void *data, size_t len);
	int (*sync)(void *h, const char *key);
	int (*truncate)(void *h, const char *key, uint64_t size);
	int (*commit)(void *h, const char *key);
	int (*open_read)(void *h, const char *key, uint64_t *size);
	int (*remove)(void *h, const char *key);
	int (*free_bytes)(void *h, uint64_t *out);
};

extern const struct blob_backend blob_fs_backend;

#endif
