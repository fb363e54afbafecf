/*
 * Building responses: JSON documents, the one error shape of DESIGN §3,
 * files, and the security headers every response carries.
 */
#include "util/common.h"

#include <microhttpd.h>
#include <unistd.h>

#include "http/request.h"
#include "http/server.h"
#include "util/config.h"
#include "util/log.h"

/* The default Retry-After (seconds) of a 503 and a 429 that name none. */
#define REPLY_RETRY_BUSY "5"
#define REPLY_RETRY_LIMITED "60"

#define CSP \
	"default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; " \
	"style-src 'self'; img-src 'self' data:; connect-src 'self'; " \
	"worker-src 'self'; frame-ancestors 'none'; base-uri 'none'; " \
	"form-action 'self'; require-trusted-types-for 'script'; " \
	"report-uri /api/v1/csp-report"

static void
set_response(
    struct request *req, unsigned status, struct MHD_Response *r, uint64_t len)
{
	if (req->resp != NULL)
		MHD_destroy_response(req->resp);
	req->resp = r;
	req->status = status;
	req->bytes_out = len;
}

void
reply_bytes(struct request *req, unsigned status, const char *ctype,
    const void *body, size_t len)
{
	struct MHD_Response *r;

	r = MHD_create_response_from_buffer(
	    len, (void *)(uintptr_t)body, MHD_RESPMEM_MUST_COPY);
	if (r == NULL)
		fatal("cannot create response", NULL);
	if (ctype != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	set_response(req, status, r, len);
}

void
reply_json(struct request *req, unsigned status, json_t *doc)
{
	char *s = json_dumps(doc, JSON_COMPACT);

	json_decref(doc);
	if (s == NULL)
		fatal("cannot serialise json", NULL);
	reply_bytes(
	    req, status, "application/json; charset=utf-8", s, strlen(s));
	free(s);
}

void
reply_error(
    struct request *req, unsigned status, const char *code, const char *msg)
{
	json_t *err = json_pack("{s:s,s:s}", "code", code, "message", msg);

	if (status >= 500)
		json_object_set_new(err, "request_id", json_string(req->id));
	reply_json(req, status, json_pack("{s:o}", "error", err));
}

void
reply_empty(struct request *req, unsigned status)
{
	reply_bytes(req, status, NULL, "", 0);
}

void
reply_fd(struct request *req, unsigned status, const char *ctype, int fd,
    uint64_t size)
{
	struct MHD_Response *r;

	r = MHD_create_response_from_fd64(size, fd);
	if (r == NULL) {
		close(fd);
		reply_error(req, 500, "internal", "Internal error");
		return;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	set_response(req, status, r, size);
}

void
reply_fd_range(struct request *req, const char *ctype, int fd, uint64_t offset,
    uint64_t len, uint64_t size)
{
	struct MHD_Response *r;
	char cr[80];

	r = MHD_create_response_from_fd_at_offset64(len, fd, offset);
	if (r == NULL) {
		close(fd);
		reply_error(req, 500, "internal", "Internal error");
		return;
	}
	snprintf(cr, sizeof(cr), "bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64,
	    offset, offset + len - 1, size);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_RANGE, cr);
	set_response(req, 206, r, len);
}

/* Blocks of this size are asked of a stream's reader. */
#define STREAM_BLOCK (64u * 1024u)

void
reply_stream(struct request *req, unsigned status, const char *ctype,
    uint64_t offset, uint64_t len, uint64_t size, reply_read_fn read,
    reply_free_fn release, void *cls)
{
	struct MHD_Response *r;
	char cr[80];

	/* The reader sees positions of the object, not of the body. */
	r = MHD_create_response_from_callback(
	    len, STREAM_BLOCK, read, cls, release);
	if (r == NULL) {
		release(cls);
		reply_error(req, 500, "internal", "Internal error");
		return;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	if (status == 206) {
		snprintf(cr, sizeof(cr),
		    "bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64, offset,
		    offset + len - 1, size);
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_RANGE, cr);
	}
	set_response(req, status, r, len);
}

void
reply_header(struct request *req, const char *name, const char *value)
{
	if (req->resp != NULL)
		MHD_add_response_header(req->resp, name, value);
}

/* The headers of SECURITY.md §1.10 and §3 item 36, on every response. */
void
reply_add_common_headers(struct request *req)
{
	struct MHD_Response *r = req->resp;

	MHD_add_response_header(r, "Content-Security-Policy", CSP);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(
	    r, "Cross-Origin-Resource-Policy", "same-origin");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Permissions-Policy",
	    "camera=(), microphone=(), geolocation=(), payment=()");
	MHD_add_response_header(r, "X-Request-Id", req->id);
	if (req->app->tls)
		MHD_add_response_header(r, "Strict-Transport-Security",
		    "max-age=63072000; includeSubDomains; preload");
	/* DESIGN §3: every 503 and 429 says when to come back. The one mapper
	 * (api/errors.c) sets the value its result names; any other answer
	 * with these statuses gets the default here, so none goes without. */
	if ((req->status == 503 || req->status == 429) &&
	    MHD_get_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER) == NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER,
		    req->status == 503 ? REPLY_RETRY_BUSY :
		                         REPLY_RETRY_LIMITED);
	if (req->is_api &&
	    MHD_get_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL) == NULL)
		MHD_add_response_header(
		    r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
}

const char *
request_header(struct request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *
request_query(struct request *req, const char *name)
{
	return MHD_lookup_connection_value(
	    req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *
request_cookie(struct request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}
