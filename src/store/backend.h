/* The table each blob store backend fills in (see blob.h for semantics). */
#ifndef ST_BLOB_BACKEND_H
#define ST_BLOB_BACKEND_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct config;
struct db;

struct blob_backend {
	const char *name;
	void *(*open)(const struct config *cfg, struct db *db);
	void (*close)(void *h);
	void *(*writer_open)(void *h, const char *key, uint64_t offset);
	int (*write)(void *w, const void *data, size_t len);
	int (*sync)(void *w);
	int (*commit)(void *w);
	void (*writer_close)(void *w);
	void *(*reader_open)(void *h, const char *key, uint64_t *size);
	ssize_t (*read)(void *r, uint64_t offset, void *buf, size_t len);
	int (*take_fd)(void *r);
	void (*reader_close)(void *r);
	int (*remove)(void *h, const char *key);
	int (*free_bytes)(void *h, uint64_t *out);
	int (*sweep)(void *h, int64_t cutoff);
};

extern const struct blob_backend blob_fs_backend;
extern const struct blob_backend blob_s3_backend;

/* Server-made keys only: base64url, 16 to 64 characters. */
int blob_key_ok(const char *key);

#endif
