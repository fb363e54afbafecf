/*
 * The route table (routes.c) and matching. A pattern is a path whose
 * segments are literals, ":name" (one segment of [A-Za-z0-9_-], at most
 * 64 bytes, captured into request.params in order) or a final "*" (one
 * more segment, captured too).
 */
#ifndef ST_ROUTER_H
#define ST_ROUTER_H

#include <stddef.h>

struct request;

typedef void (*route_fn)(struct request *req);

enum route_flags {
	ROUTE_API = 1 << 0, /* JSON API: no-store, JSON errors */
	ROUTE_OPS = 1 << 1, /* health and metrics: ops access rules */
	ROUTE_PAGE = 1 << 2, /* a front-end page: serves index.html */
	ROUTE_NO_CSRF = 1 << 3, /* state-changing but exempt (reports) */
	ROUTE_AUTH = 1 << 4, /* needs a logged-in session: 401 without */
	ROUTE_SESSION = 1 << 5, /* loads the session when there is one */
	ROUTE_REQUEST = 1 << 6, /* for the holder of request token :token */
	ROUTE_MAILBOX = 1 << 7, /* a member may act for a mailbox (A7) */
	ROUTE_OFFLOAD = 1 << 8, /* waits on the disk: run off the HTTP
	                           threads (offload.h) */
	ROUTE_ADMIN = 1 << 9, /* Beheer: the administrator role and a
	                         second factor proved within 15 minutes
	                         (api_admin_gate); with ROUTE_AUTH */
};

/*
 * A streaming route gets its body chunk by chunk instead of in a buffer
 * (tus PATCH). begin runs when the headers are in; body for each chunk;
 * end exactly once afterwards (completed = 0 when the client went away),
 * before the completion is logged. A callback that answers returns -1;
 * the rest of the body is then dropped.
 */
struct route_stream {
	int (*begin)(struct request *req);
	int (*body)(struct request *req, const char *data, size_t len);
	void (*end)(struct request *req, int completed);
};

struct route {
	const char *method;
	const char *pattern;
	route_fn handler;
	unsigned flags;
	size_t body_limit; /* 0: server.body_limit */
	const char *ctypes; /* accepted media types, "a|b"; NULL any */
	const struct route_stream *stream; /* NULL: the body is buffered */
};

extern const struct route routes[];
extern const size_t nroutes;

enum route_match { ROUTE_FOUND, ROUTE_NO_PATH, ROUTE_BAD_METHOD };

/*
 * Finds the route for method and path; on ROUTE_FOUND sets *idx and fills
 * params (heap copies the caller frees). ROUTE_BAD_METHOD means the path
 * exists for other methods; allow then lists them ("GET, POST").
 */
enum route_match router_match(const char *method, const char *path, size_t *idx,
    char **params, size_t nparams, char *allow, size_t allowlen);

#endif
