/*
 * The CLI's HTTP client on libcurl: one connection (kept alive), an
 * in-memory cookie jar that can be saved and loaded, the same-origin
 * Origin header and the CSRF token every state-changing request needs
 * (docs/openapi.yaml), JSON in and out, and streamed bodies both ways.
 */
#ifndef ST_CLI_HTTP_H
#define ST_CLI_HTTP_H

#include <curl/curl.h>
#include <jansson.h>
#include <stdint.h>

#include "util/buf.h"

#define HTTP_BODY_MAX (8u << 20) /* buffered answers: JSON, the CSV */

struct http;

/* A source of request body bytes: fills up to n bytes, returns how many
 * (0 only at the end), or -1 to abort the request. */
typedef long (*http_read_fn)(void *arg, char *buf, size_t n);
/* A sink of a 2xx answer's body: 0, or -1 to abort. */
typedef int (*http_write_fn)(void *arg, const char *p, size_t n);
/* Progress of the body being sent; 0, or -1 to abort. */
typedef int (*http_progress_fn)(void *arg, uint64_t sent);

struct http_req {
	const char *method; /* "GET", "POST", ... */
	const char *path; /* "/api/v1/..." (query included) */
	json_t *json; /* a JSON body (borrowed) */
	const char *ctype; /* a raw body: type, bytes, length */
	const void *body;
	size_t body_len;
	http_read_fn read; /* a streamed body of read_len bytes */
	void *read_arg;
	uint64_t read_len;
	http_write_fn write; /* stream a 2xx body instead of buffering */
	void *write_arg;
	http_progress_fn progress;
	void *progress_arg;
	uint64_t range_from; /* with has_range: "Range: bytes=N-" */
	int has_range;
	const char *headers[6]; /* extra "Name: value" lines, NULL-ended */
};

struct http_res {
	long status; /* 0: no answer (network) */
	char neterr[CURL_ERROR_SIZE]; /* the network failure, if status 0 */
	struct buf body; /* a buffered body (non-2xx, or no sink) */
	json_t *json; /* body as JSON, if it parsed */
	char code[64]; /* error.code, or "" */
	char message[256]; /* error.message, or "" */
	uint64_t upload_offset; /* tus Upload-Offset, with has_offset */
	int has_offset;
	uint64_t range_start; /* Content-Range's first byte, with has_range */
	int has_range;
	long retry_after; /* seconds, or -1 */
};

/* A client for base ("https://host[:port]"); ca_file may be NULL. */
struct http *http_new(const char *base, const char *ca_file);
void http_free(struct http *h);
const char *http_base(const struct http *h);

/*
 * One request. 0 once an answer came (any status; see res->status), -1
 * if none did (res->neterr says why). res is filled either way and must
 * be released with http_res_release. State-changing methods get the CSRF
 * token first (GET /api/v1/session) unless one is known.
 */
int http_do(struct http *h, const struct http_req *rq, struct http_res *res);
void http_res_release(struct http_res *res);

/*
 * http_do, again while the server cannot answer (no connection, 502, 503,
 * 504: a restart, a database fault, a proxy without its node) for about
 * two minutes, waiting 1, 2, 4 ... 30 s or the Retry-After it gives (at
 * most 30 s). Only for requests that are safe to repeat: reads, PUTs, tus
 * creation, and a POST that carries an Idempotency-Key. *retried (may be
 * NULL) says whether the answer is to a repeat: a repeat can find done
 * what the first attempt did before its answer was lost.
 */
int http_do_retry(struct http *h, const struct http_req *rq,
    struct http_res *res, int *retried);

/* JSON request shorthands. */
int http_get(struct http *h, const char *path, struct http_res *res);
int http_post(
    struct http *h, const char *path, json_t *body, struct http_res *res);

/* The CSRF token: set (after login) or forget (after logout). */
void http_set_csrf(struct http *h, const char *token);
const char *http_csrf(const struct http *h);

/* The cookie jar as a JSON array of Netscape-format lines, and back. */
json_t *http_cookies(struct http *h);
void http_set_cookies(struct http *h, const json_t *lines);

/*
 * The exit code an answer means (cli.h): network 5, 401/423 3, 5xx 5
 * (507 4), other non-2xx 4, 2xx 0.
 */
int http_exit_code(const struct http_res *res);
/* "404 not_found: Not found" or the network error, for messages. */
const char *http_describe(const struct http_res *res, char *out, size_t len);

#endif
