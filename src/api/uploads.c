/*
 * tus 1.0 at /api/v1/uploads (core, creation, termination, expiration):
 * header parsing and answers; the rules are in domain/uploads.c. PATCH
 * bodies stream straight to the blob store (a streaming route).
 */
#include "util/common.h"

#include <microhttpd.h>
#include <sodium.h>
#include <strings.h>
#include <time.h>

#include "api/api.h"
#include "api/errors.h"
#include "api/msg_env.h"
#include "api/tus_metadata.h"
#include "domain/uploads.h"
#include "http/metrics.h"
#include "http/request.h"
#include "http/router.h"
#include "http/server.h"
#include "util/config.h"
#include "util/num.h"

#define TUS_VERSION "1.0.0"
/* 2^53: offsets and lengths stay exact in the browser's numbers. */
#define TUS_MAX_NUMBER (UINT64_C(1) << 53)

/*
 * The file id is the last path parameter: /api/v1/uploads/:id, and
 * /api/v1/q/:token/uploads/:id for someone sending on a request.
 */
static const char *
file_param(const struct request *req)
{
	const char *last = NULL;
	size_t i;

	for (i = 0; i < REQUEST_MAX_PARAMS && req->params[i] != NULL; i++)
		last = req->params[i];
	return last != NULL ? last : "";
}

static void
tus_headers(struct request *req, const struct upload_info *info)
{
	char n[32], date[64];
	time_t t;
	struct tm tm;

	reply_header(req, "Tus-Resumable", TUS_VERSION);
	if (info == NULL)
		return;
	snprintf(n, sizeof(n), "%" PRIu64, info->offset);
	reply_header(req, "Upload-Offset", n);
	snprintf(n, sizeof(n), "%" PRIu64, info->length);
	reply_header(req, "Upload-Length", n);
	t = (time_t)info->deadline;
	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	reply_header(req, "Upload-Expires", date);
	reply_header(req, "Cache-Control", "no-store");
}

/* The q routes act for the holder of a request token: -1 answered. */
static int
principal(struct request *req)
{
	if (!(req->route->flags & ROUTE_REQUEST))
		return 0;
	if (api_q_auth(req) == 0)
		return 0;
	tus_headers(req, NULL);
	return -1;
}

static enum MHD_Result
count_cb(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct {
		const char *name;
		int n;
	} *c = cls;

	ST_UNUSED(kind);
	ST_UNUSED(value);
	if (strcasecmp(key, c->name) == 0)
		c->n++;
	return MHD_YES;
}

/* A header that must appear once, as a plain decimal. */
static int
number_header(struct request *req, const char *name, uint64_t *out)
{
	struct {
		const char *name;
		int n;
	} c = { name, 0 };
	const char *v;

	MHD_get_connection_values(req->conn, MHD_HEADER_KIND, count_cb, &c);
	v = request_header(req, name);
	if (c.n != 1 || v == NULL ||
	    num_parse_u64(v, 0, TUS_MAX_NUMBER, out) == -1)
		return -1;
	return 0;
}

/* 412 for a missing or other protocol version. */
static int
tus_version_ok(struct request *req)
{
	const char *v = request_header(req, "Tus-Resumable");

	if (v != NULL && strcmp(v, TUS_VERSION) == 0)
		return 1;
	reply_error(req, 412, "tus_version", "Tus-Resumable 1.0.0 required");
	reply_header(req, "Tus-Version", TUS_VERSION);
	return 0;
}

void
api_tus_options(struct request *req)
{
	char max[32];

	snprintf(max, sizeof(max), "%" PRId64,
	    req->app->cfg->send_max_message_bytes);
	reply_empty(req, 204);
	reply_header(req, "Tus-Resumable", TUS_VERSION);
	reply_header(req, "Tus-Version", TUS_VERSION);
	reply_header(req, "Tus-Extension", "creation,termination,expiration");
	reply_header(req, "Tus-Max-Size", max);
}

void
api_tus_create(struct request *req)
{
	char file_id[RAND_ID_LEN + 1], loc[256];
	struct upload_info info;
	struct msg_result r;
	struct msg_env env;
	uint64_t length;

	if (!tus_version_ok(req) || principal(req) == -1)
		return;
	if (request_header(req, "Upload-Defer-Length") != NULL) {
		reply_error(req, 400, "defer_length",
		    "Upload-Defer-Length is not supported");
	} else if (number_header(req, "Upload-Length", &length) == -1) {
		reply_error(req, 400, "bad_upload_length",
		    "Upload-Length must be one plain number");
	} else if (length > (uint64_t)req->app->cfg->send_max_message_bytes +
	        (UINT64_C(16) << 20)) {
		reply_error(req, 413, "too_large", "Upload-Length too large");
	} else if (tus_metadata_file_id(
	               request_header(req, "Upload-Metadata"), file_id) == -1) {
		reply_error(req, 400, "bad_metadata",
		    "Upload-Metadata must name file_id once");
	} else {
		api_msg_env(req, &env);
		r = uploads_create(&env, req->user, file_id, length, &info);
		if (r.st != MSG_OK) {
			api_msg_error(req, r);
		} else {
			/* Below the endpoint the client posted to. */
			snprintf(loc, sizeof(loc), "%s/%s", req->path, file_id);
			reply_empty(req, 201);
			reply_header(req, "Location", loc);
			tus_headers(req, &info);
			return;
		}
	}
	tus_headers(req, NULL);
}

void
api_tus_head(struct request *req)
{
	struct upload_info info;
	struct msg_result r;
	struct msg_env env;

	if (!tus_version_ok(req) || principal(req) == -1)
		return;
	api_msg_env(req, &env);
	r = uploads_info(&env, req->user, file_param(req), &info);
	if (r.st != MSG_OK) {
		api_msg_error(req, r);
		tus_headers(req, NULL);
		return;
	}
	reply_empty(req, 200);
	tus_headers(req, &info);
}

void
api_tus_delete(struct request *req)
{
	struct msg_result r;
	struct msg_env env;

	if (!tus_version_ok(req) || principal(req) == -1)
		return;
	api_msg_env(req, &env);
	r = uploads_delete(&env, req->user, file_param(req));
	if (r.st != MSG_OK)
		api_msg_error(req, r);
	else
		reply_empty(req, 204);
	tus_headers(req, NULL);
}

/* PATCH, streamed: begin with the headers, body per chunk, end once. */
struct patch_ctx {
	struct msg_env env;
	struct upload *up;
	struct msg_result refused;
};

static int
patch_begin(struct request *req)
{
	struct patch_ctx *pc;
	struct msg_result r;
	uint64_t offset, cl = 0;
	const char *clh = request_header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);

	if (!tus_version_ok(req) || principal(req) == -1)
		return -1;
	if (number_header(req, "Upload-Offset", &offset) == -1) {
		reply_error(req, 400, "bad_upload_offset",
		    "Upload-Offset must be one plain number");
		tus_headers(req, NULL);
		return -1;
	}
	if (clh != NULL && num_parse_u64(clh, 0, UINT64_MAX, &cl) == -1) {
		reply_error(req, 400, "bad_request", "Bad Content-Length");
		return -1;
	}
	pc = xcalloc(1, sizeof(*pc));
	api_msg_env(req, &pc->env);
	r = uploads_patch_begin(&pc->env, req->user, file_param(req), offset,
	    clh != NULL ? (int64_t)cl : -1, &pc->up);
	if (r.st != MSG_OK) {
		free(pc);
		api_msg_error(req, r);
		tus_headers(req, NULL);
		return -1;
	}
	req->ctx = pc;
	metrics_patch(1);
	return 0;
}

static int
patch_body(struct request *req, const char *data, size_t len)
{
	struct patch_ctx *pc = req->ctx;
	struct msg_result r = uploads_patch_data(pc->up, data, len);

	if (r.st == MSG_OK) {
		metrics_add("upload_bytes", len);
		return 0;
	}
	/* Answered at the end, once what came before is durable. */
	pc->refused = r;
	return -1;
}

static void
patch_end(struct request *req, int completed)
{
	struct patch_ctx *pc = req->ctx;
	struct upload_info info;

	ST_UNUSED(completed);
	if (pc == NULL)
		return;
	if (pc->up != NULL)
		(void)uploads_patch_end(pc->up, &info);
	free(pc);
	req->ctx = NULL;
	metrics_patch(-1);
}

static void
patch_answer(struct request *req, const struct upload_info *info)
{
	struct patch_ctx *pc = req->ctx;

	if (pc->refused.st != MSG_OK) {
		api_msg_error(req, pc->refused);
		tus_headers(req, NULL);
		return;
	}
	if (info->done)
		metrics_count("uploads_completed");
	reply_empty(req, 204);
	tus_headers(req, info);
}

/* On a syncer thread, once the PATCH's bytes and offset are durable. */
static void
patch_synced(void *arg, const struct upload_info *info)
{
	struct request *req = arg;

	patch_answer(req, info);
	request_resume(req);
}

void
api_tus_patch(struct request *req)
{
	struct patch_ctx *pc = req->ctx;
	struct upload *up = pc->up;
	struct upload_info info;

	pc->up = NULL;
	/* Inline once stopping, as offloaded handlers are (server.c). */
	if (req->app->syncer == NULL || atomic_load(&req->app->stopping)) {
		(void)uploads_patch_end(up, &info);
		patch_answer(req, &info);
		return;
	}
	/* The fdatasync and the commit wait on the disk: not on the thread
	 * that serves this connection's neighbours. */
	request_suspend(req);
	uploads_patch_end_async(req->app->syncer, up, patch_synced, req);
}

const struct route_stream api_tus_patch_stream = { patch_begin, patch_body,
	patch_end };
