/*
 * Requests to an S3-compatible store for the s3 backend: URLs in path or
 * virtual-host style, SigV4 signing by libcurl (CURLOPT_AWS_SIGV4, with
 * the payload hash we compute), a small pool of easy handles so that
 * connections are reused, and S3 errors mapped to errno. Internal to
 * src/store.
 */
#ifndef ST_S3_HTTP_H
#define ST_S3_HTTP_H

#include <curl/curl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

struct config;
struct db;

#define S3_IDLE_MAX 32

struct s3 {
	char *base; /* URL up to the bucket's root, no slash at the end */
	char *sigv4; /* "aws:amz:<region>:s3" */
	char *user, *secret; /* credentials; wiped on close, never logged */
	uint64_t part_size;
	long timeout;
	struct db *db;
	pthread_mutex_t lock;
	CURL *idle[S3_IDLE_MAX];
	int nidle;
};

struct s3_resp {
	long status; /* HTTP status; 0 when no answer came */
	struct buf *body; /* where the body goes (capped); NULL: dropped */
	char etag[128]; /* the ETag header, quotes kept */
	uint64_t length; /* Content-Length, for HEAD */
	char code[64]; /* S3 <Code> of an error answer, or "" */
	CURL *h; /* s3_call's own: the transfer */
	struct buf *err; /* s3_call's own: an error answer's body */
};

/* Fills s from cfg (URL base, signing, credentials); -1 logged. */
int s3_setup(struct s3 *s, const struct config *cfg);
void s3_teardown(struct s3 *s);

/*
 * One request: method, the object path below the bucket ("" for the
 * bucket), a query already sorted and encoded (or ""), a body (or NULL).
 * 0 when an answer came (see r->status), -1 with errno on a transport
 * failure (logged).
 */
int s3_call(struct s3 *s, const char *method, const char *path,
    const char *query, const void *body, size_t len, struct s3_resp *r);

/* A handle set up for method, path and query with an empty payload (for
 * streaming GETs); the caller adds its callbacks, and returns it with
 * s3_handle_put. *hdrs must be freed with curl_slist_free_all after. */
CURL *s3_handle_get(struct s3 *s, const char *method, const char *path,
    const char *query, struct curl_slist **hdrs);
void s3_handle_put(struct s3 *s, CURL *h);

/* errno for an answer that is not a success (ENOENT, ENOSPC, EACCES,
 * EIO), and logs it with op and path. */
int s3_fail(const struct s3_resp *r, const char *op, const char *path);

/* Percent-encodes s for a query value (all but unreserved characters)
 * into out; -1 when it does not fit. */
int s3_query_escape(const char *s, char *out, size_t outlen);

#endif
