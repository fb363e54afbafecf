/*
 * Reading S3 objects as a stream (internal to src/store): a HEAD for the
 * size, then one GET from the first offset read, pulled through a small
 * window as the caller asks for bytes (libcurl's multi interface with
 * pause), so memory stays at the window whatever the object size. A read
 * elsewhere than where the last one ended starts a new ranged GET.
 */
#ifndef ST_S3_READ_H
#define ST_S3_READ_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

void *s3_reader_open(void *store, const char *key, uint64_t *size);
ssize_t s3_read(void *r, uint64_t offset, void *buf, size_t len);
int s3_take_fd(void *r);
void s3_reader_close(void *r);

#endif
