/*
 * tus 1.0 at /api/v1/uploads (core, creation, creation-with-upload,
 * termination, expiration, checksum): header parsing and answers; the
 * rules are in domain/uploads.c. OPTIONS, creation, HEAD and termination
 * here; PATCH bodies (and a creation's) in tus_patch.c.
 */
#include "util/common.h"

#include <microhttpd.h>
#include <sodium.h>
#include <strings.h>
#include <time.h>

#include "api/api.h"
#include "api/errors.h"
#include "api/msg_env.h"
#include "api/tus.h"
#include "api/tus_metadata.h"
#include "domain/uploads.h"
#include "http/metrics.h"
#include "http/request.h"
#include "http/router.h"
#include "http/server.h"
#include "util/config.h"
#include "util/num.h"

/*
 * The file id is the last path parameter: /api/v1/uploads/:id, and
 * /api/v1/q/:token/uploads/:id for someone sending on a request.
 */
const char *
tus_file_param(const struct request *req)
{
	const char *last = NULL;
	size_t i;

	for (i = 0; i < REQUEST_MAX_PARAMS && req->params[i] != NULL; i++)
		last = req->params[i];
	return last != NULL ? last : "";
}

void
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

int
tus_principal(struct request *req)
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

int
tus_number_header(struct request *req, const char *name, uint64_t *out)
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

int
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
	reply_header(req, "Tus-Extension", TUS_EXTENSIONS);
	reply_header(req, "Tus-Checksum-Algorithm", TUS_CHECKSUMS);
	reply_header(req, "Tus-Max-Size", max);
}

void
api_tus_create(struct request *req)
{
	char file_id[RAND_ID_LEN + 1], loc[256];
	struct upload_info info;
	struct st_result r;
	struct msg_env env;
	uint64_t length;

	if (tus_create_finish(req, req->path) == 1)
		return;
	if (!tus_version_ok(req) || tus_principal(req) == -1)
		return;
	if (request_header(req, "Upload-Defer-Length") != NULL) {
		reply_error(req, 400, "defer_length",
		    "Upload-Defer-Length is not supported");
	} else if (tus_number_header(req, "Upload-Length", &length) == -1) {
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
		if (r.st != ST_OK) {
			api_error(req, r);
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
	struct st_result r;
	struct msg_env env;

	if (!tus_version_ok(req) || tus_principal(req) == -1)
		return;
	api_msg_env(req, &env);
	r = uploads_info(&env, req->user, tus_file_param(req), &info);
	if (r.st != ST_OK) {
		api_error(req, r);
		tus_headers(req, NULL);
		return;
	}
	reply_empty(req, 200);
	tus_headers(req, &info);
}

void
api_tus_delete(struct request *req)
{
	struct st_result r;
	struct msg_env env;

	if (!tus_version_ok(req) || tus_principal(req) == -1)
		return;
	api_msg_env(req, &env);
	r = uploads_delete(&env, req->user, tus_file_param(req));
	if (r.st != ST_OK)
		api_error(req, r);
	else
		reply_empty(req, 204);
	tus_headers(req, NULL);
}
