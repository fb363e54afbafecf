/* Listing, deleting and sweeping in the s3 backend (internal). */
#ifndef ST_S3_LIST_H
#define ST_S3_LIST_H

#include <stdint.h>

struct s3;

/* Object paths in the bucket: objects/<key> and staging/<key>/<part>. */
#define S3_PATH_MAX 160
void s3_obj_path(char out[S3_PATH_MAX], const char *key);
void s3_tail_path(char out[S3_PATH_MAX], const char *key, int64_t part);

typedef int (*list_fn)(const char *key, int64_t mtime, void *arg);

/* Calls fn for every object under prefix; 0, or -1 (logged). */
int s3_list_objects(struct s3 *s, const char *prefix, list_fn fn, void *arg);
/* DELETE of path; absent is no error. */
int s3_delete_object(struct s3 *s, const char *path);
/* Deletes the staging objects of key but the one of part keep (0: all). */
int s3_drop_tails(struct s3 *s, const char *key, int64_t keep);
/* AbortMultipartUpload of key's upload_id; one already gone is no error. */
int s3_abort_upload(struct s3 *s, const char *key, const char *upload_id);
/* The backend's sweep and free_bytes (blob.h). */
int s3_sweep(void *h, int64_t cutoff);
int s3_free_bytes(void *h, uint64_t *out);

#endif
