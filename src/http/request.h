/*
 * One HTTP request as the handlers see it, and the ways to answer it.
 * The http layer owns the struct: it is made when the request line
 * arrives and freed when libmicrohttpd reports the request completed.
 */
#ifndef ST_REQUEST_H
#define ST_REQUEST_H

#include <jansson.h>
#include <stdint.h>
#include <sys/types.h>

#include "http/deadline.h"
#include "util/buf.h"
#include "util/rand.h"

struct MHD_Connection;
struct MHD_Response;
struct app;
struct route;
struct user;

#define REQUEST_MAX_PARAMS 4
#define REQUEST_ID_MAX 64 /* an X-Request-Id taken from a trusted proxy */

struct request {
	struct app *app;
	struct MHD_Connection *conn;
	char id[REQUEST_ID_MAX + 1]; /* correlation id */
	uint64_t start_ns;
	char *method;
	char *path; /* decoded, without query */
	const struct route *route; /* NULL: unmatched */
	int route_idx; /* for metrics; -1 unmatched */
	char *params[REQUEST_MAX_PARAMS]; /* :name parts */
	int ops_listener; /* came in on ops.listen */
	int started;
	int discard_body;
	struct buf body;
	uint64_t bytes_in;
	uint64_t bytes_out;
	unsigned status;
	struct MHD_Response *resp;
	int is_api;
	char ip[64]; /* the client's: the peer, or behind a trusted proxy */
	uint8_t peer[16]; /* the connection's peer (util/netaddr.h form) */
	int peer_known;
	int close; /* answer with Connection: close */
	struct body_rate rate; /* server.min_body_rate (deadline.h) */
	uint64_t busy_ns; /* server time on the last piece of the body */
	struct user *user; /* logged in, or NULL */
	void *ctx; /* a streaming route's own state */
	int stream_begun; /* begin returned 0: end is owed */
	char session_hash[48];
	/* Called once the response is over; ok: sent to the last byte. */
	void (*done)(struct request *req, int ok);
	void *done_arg; /* done's own state, freed by done */
	int deferred; /* request_suspend: answered from another thread */
	int db_fault; /* enum st_fault the request met: 503/507, not 500 */
};

/*
 * For a handler whose answer waits on something slow (the disk): it calls
 * request_suspend(req), hands req to another thread and returns. That
 * thread sets the answer (reply_*) and calls request_resume(req), after
 * which it must not touch req. Meanwhile the HTTP thread serves its other
 * connections. Only from a route's handler.
 */
void request_suspend(struct request *req);
void request_resume(struct request *req);

/* Answers with a JSON document (takes the reference to doc). */
void reply_json(struct request *req, unsigned status, json_t *doc);
/* Answers {"error":{"code":code,"message":msg}}; 5xx add request_id. */
void reply_error(
    struct request *req, unsigned status, const char *code, const char *msg);
void reply_empty(struct request *req, unsigned status);
/* Answers with a copy of len bytes of body and the given content type. */
void reply_bytes(struct request *req, unsigned status, const char *ctype,
    const void *body, size_t len);
/* Answers with an open file (the response takes fd); size from fstat. */
void reply_fd(struct request *req, unsigned status, const char *ctype, int fd,
    uint64_t size);
/* Answers 206 with len bytes of fd from offset (the response takes fd). */
void reply_fd_range(struct request *req, const char *ctype, int fd,
    uint64_t offset, uint64_t len, uint64_t size);
/*
 * A body produced by a reader: read(cls, pos, buf, max) fills buf with
 * body bytes from pos (0 = the first body byte) and returns their count,
 * or REPLY_STREAM_END / REPLY_STREAM_ERROR; release(cls) runs once when
 * the response is gone. status 206 adds Content-Range for offset, len and
 * size. Memory is what the reader holds.
 */
typedef ssize_t (*reply_read_fn)(
    void *cls, uint64_t pos, char *buf, size_t max);
typedef void (*reply_free_fn)(void *cls);
#define REPLY_STREAM_END ((ssize_t)-1)
#define REPLY_STREAM_ERROR ((ssize_t)-2)
void reply_stream(struct request *req, unsigned status, const char *ctype,
    uint64_t offset, uint64_t len, uint64_t size, reply_read_fn read,
    reply_free_fn release, void *cls);
/* Adds a header to the pending response. */
void reply_header(struct request *req, const char *name, const char *value);

/* The request header's value, or NULL. */
const char *request_header(struct request *req, const char *name);
/* The value of query argument name, or NULL. */
const char *request_query(struct request *req, const char *name);
/* The value of cookie name, or NULL. */
const char *request_cookie(struct request *req, const char *name);

/*
 * Parses the body as a JSON object: strict (duplicate keys, NUL in
 * strings, bad UTF-8, numbers out of range and nesting deeper than 32
 * are refused). On failure answers 400 and returns NULL.
 */
json_t *request_json(struct request *req);

#endif
