/*
 * SQL for the S3 store's multipart uploads (migration 0011): the upload
 * id and part size of each object being written, and the ETag of each
 * part stored so far, so that any node can continue or complete it.
 */
#ifndef ST_S3_DB_H
#define ST_S3_DB_H

#include <stdint.h>

#include "db/db.h"

/*
 * The multipart upload of key: 1 with *upload_id (caller frees) and
 * *part_size, 0 when there is none, -1 on a database error.
 */
int s3db_upload_get(
    struct db_conn *c, const char *key, char **upload_id, int64_t *part_size);
enum db_status s3db_upload_put(struct db_conn *c, const char *key,
    const char *upload_id, int64_t part_size, int64_t now);
/* Whether upload_id belongs to any object: 1, 0, or -1. */
int s3db_upload_known(struct db_conn *c, const char *upload_id);

/* Parts 1..upto stored for key (to check none is missing); -1 on error. */
int64_t s3db_parts_count(struct db_conn *c, const char *key, int64_t upto);
/* Records (or replaces) part no of key. */
enum db_status s3db_part_put(
    struct db_conn *c, const char *key, int64_t no, const char *etag);
/* Forgets the parts after keep (bytes never acknowledged). */
enum db_status s3db_parts_trim(
    struct db_conn *c, const char *key, int64_t keep);
/* Calls fn for each part of key in order; 0, or -1 on an error. */
int s3db_parts_each(struct db_conn *c, const char *key,
    int (*fn)(int64_t no, const char *etag, void *arg), void *arg);
/* Drops the upload and part rows of key. */
enum db_status s3db_forget(struct db_conn *c, const char *key);

#endif
