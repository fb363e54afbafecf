/*
 * tus PATCH (core) and the body of a creation with upload
 * (creation-with-upload), streamed straight to the blob store, with the
 * checksum extension: "Upload-Checksum: sha256 <base64>" over the PATCH
 * body; on a mismatch, or a body that did not arrive whole, nothing of it
 * is acknowledged (460). The rules are in domain/uploads.c.
 */
#include "util/common.h"

#include <microhttpd.h>
#include <sodium.h>
#include <strings.h>

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

#define TUS_CTYPE "application/offset+octet-stream"

/* One PATCH (or creation body): begin with the headers, body per chunk,
 * end once. */
struct patch_ctx {
	struct msg_env env;
	struct upload *up;
	struct st_result refused;
	int checksum; /* Upload-Checksum given */
	unsigned char want[TUS_CHECKSUM_LEN];
	crypto_hash_sha256_state sha;
	uint64_t got, expect; /* body bytes seen; Content-Length or -1 */
	char file_id[RAND_ID_LEN + 1]; /* creation with upload */
	struct upload_info created; /* its creation's answer */
};

/*
 * Upload-Checksum: "sha256 <base64 of 32 bytes>". 0 none, 1 taken, -1
 * answered (400 for a malformed header or another algorithm).
 */
static int
parse_checksum(struct request *req, struct patch_ctx *pc)
{
	const char *v = request_header(req, "Upload-Checksum");

	if (v == NULL)
		return 0;
	switch (tus_checksum_parse(v, pc->want)) {
	case TUS_CHECKSUM_OK:
		break;
	case TUS_CHECKSUM_ALGORITHM:
		reply_error(req, 400, "checksum_algorithm",
		    "Upload-Checksum: only sha256 is supported");
		reply_header(req, "Tus-Checksum-Algorithm", TUS_CHECKSUMS);
		return -1;
	default:
		reply_error(req, 400, "bad_checksum",
		    "Upload-Checksum must be sha256 and 32 bytes in base64");
		return -1;
	}
	pc->checksum = 1;
	crypto_hash_sha256_init(&pc->sha);
	return 1;
}

/* Content-Length, if any: -1 when absent (chunked), -2 malformed. */
static int64_t
content_length(struct request *req)
{
	const char *clh = request_header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);
	uint64_t cl;

	if (clh == NULL)
		return -1;
	if (num_parse_u64(clh, 0, INT64_MAX, &cl) == -1)
		return -2;
	return (int64_t)cl;
}

/* Starts the PATCH at offset for pc; 0, or -1 answered (pc freed). */
static int
start(struct request *req, struct patch_ctx *pc, const char *file_id,
    uint64_t offset, int64_t cl)
{
	struct st_result r;

	if (parse_checksum(req, pc) == -1) {
		free(pc);
		return -1;
	}
	pc->expect = cl >= 0 ? (uint64_t)cl : UINT64_MAX;
	r = uploads_patch_begin(
	    &pc->env, req->user, file_id, offset, cl, &pc->up);
	if (r.st != ST_OK) {
		free(pc);
		api_error(req, r);
		tus_headers(req, NULL);
		return -1;
	}
	req->ctx = pc;
	metrics_patch(1);
	return 0;
}

static int
patch_begin(struct request *req)
{
	struct patch_ctx *pc;
	uint64_t offset;
	int64_t cl = content_length(req);

	if (!tus_version_ok(req) || tus_principal(req) == -1)
		return -1;
	if (tus_number_header(req, "Upload-Offset", &offset) == -1) {
		reply_error(req, 400, "bad_upload_offset",
		    "Upload-Offset must be one plain number");
		tus_headers(req, NULL);
		return -1;
	}
	if (cl == -2) {
		reply_error(req, 400, "bad_request", "Bad Content-Length");
		return -1;
	}
	pc = xcalloc(1, sizeof(*pc));
	api_msg_env(req, &pc->env);
	return start(req, pc, tus_file_param(req), offset, cl);
}

static int
patch_body(struct request *req, const char *data, size_t len)
{
	struct patch_ctx *pc = req->ctx;
	struct st_result r;

	if (pc->refused.st != ST_OK)
		return -1;
	r = uploads_patch_data(pc->up, data, len);
	pc->got += len;
	if (pc->checksum)
		crypto_hash_sha256_update(
		    &pc->sha, (const unsigned char *)data, len);
	if (r.st == ST_OK) {
		metrics_add("upload_bytes", len);
		return 0;
	}
	/* Answered at the end, once what came before is durable. */
	pc->refused = r;
	return -1;
}

/*
 * With a checksum, the body must be whole and match; otherwise nothing of
 * it is kept. 0 good (or no checksum), -1 discarded.
 */
static int
checksum_settle(struct patch_ctx *pc, int whole)
{
	unsigned char got[crypto_hash_sha256_BYTES];

	if (!pc->checksum || pc->up == NULL)
		return 0;
	crypto_hash_sha256_final(&pc->sha, got);
	pc->checksum = 0; /* settled once */
	if (whole && pc->refused.st == ST_OK &&
	    (pc->expect == UINT64_MAX || pc->got == pc->expect) &&
	    sodium_memcmp(got, pc->want, sizeof(got)) == 0)
		return 0;
	uploads_patch_discard(pc->up);
	if (pc->refused.st == ST_OK)
		pc->refused = st_res(ST_INVALID, "checksum_mismatch",
		    "the body does not match Upload-Checksum; nothing of it "
		    "was kept");
	return -1;
}

static void
patch_end(struct request *req, int completed)
{
	struct patch_ctx *pc = req->ctx;
	struct upload_info info;

	if (pc == NULL)
		return;
	if (pc->up != NULL) {
		(void)checksum_settle(pc, completed);
		(void)uploads_patch_end(pc->up, &info);
	}
	free(pc);
	req->ctx = NULL;
	metrics_patch(-1);
}

static void
patch_answer(struct request *req, const struct upload_info *info)
{
	struct patch_ctx *pc = req->ctx;

	if (pc->refused.st != ST_OK) {
		if (strcmp(pc->refused.code, "checksum_mismatch") == 0)
			reply_error(
			    req, 460, pc->refused.code, pc->refused.why);
		else
			api_error(req, pc->refused);
		tus_headers(req, NULL);
		return;
	}
	/* Less was kept than was sent: not a 204 with the old offset (the
	 * client would send again at once), but why, with Retry-After. */
	if (info->db_fault != ST_FAULT_NONE) {
		api_db_fault_error(req, (enum st_fault)info->db_fault);
		tus_headers(req, NULL);
		return;
	}
	if (info->store_errno != 0) {
		api_error(req,
		    info->store_errno == ENOSPC || info->store_errno == EDQUOT ?
		        st_res(ST_NO_SPACE, "insufficient_storage",
		            "the storage is full; try again later") :
		        st_res(ST_BUSY, "storage_unavailable",
		            "the storage does not answer; try again later"));
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

	(void)checksum_settle(pc, 1);
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

/* Content-Type of a creation's body: the tus type, parameters allowed. */
static int
tus_ctype(struct request *req)
{
	const char *ct = request_header(req, MHD_HTTP_HEADER_CONTENT_TYPE);
	size_t n = strlen(TUS_CTYPE);

	return ct != NULL && strncasecmp(ct, TUS_CTYPE, n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

int
tus_create_begin(struct request *req)
{
	struct patch_ctx *pc;
	struct st_result r;
	uint64_t length;
	int64_t cl = content_length(req);

	/* No body: a plain creation, made by the offloaded handler. */
	if (cl == 0 ||
	    (cl == -1 &&
	        request_header(req, MHD_HTTP_HEADER_TRANSFER_ENCODING) == NULL))
		return 0;
	if (!tus_version_ok(req) || tus_principal(req) == -1)
		return -1;
	if (cl == -2) {
		reply_error(req, 400, "bad_request", "Bad Content-Length");
		return -1;
	}
	if (!tus_ctype(req)) {
		reply_error(req, 415, "unsupported_media_type",
		    "A creation with upload needs Content-Type " TUS_CTYPE);
		tus_headers(req, NULL);
		return -1;
	}
	pc = xcalloc(1, sizeof(*pc));
	api_msg_env(req, &pc->env);
	if (request_header(req, "Upload-Defer-Length") != NULL)
		r = st_res(ST_INVALID, "defer_length",
		    "Upload-Defer-Length is not supported");
	else if (tus_number_header(req, "Upload-Length", &length) == -1)
		r = st_res(ST_INVALID, "bad_upload_length",
		    "Upload-Length must be one plain number");
	else if (tus_metadata_file_id(
	             request_header(req, "Upload-Metadata"), pc->file_id) == -1)
		r = st_res(ST_INVALID, "bad_metadata",
		    "Upload-Metadata must name file_id once");
	else
		r = uploads_create(
		    &pc->env, req->user, pc->file_id, length, &pc->created);
	if (r.st != ST_OK) {
		free(pc);
		api_error(req, r);
		tus_headers(req, NULL);
		return -1;
	}
	return start(req, pc, pc->file_id, 0, cl);
}

int
tus_create_finish(struct request *req, const char *base)
{
	struct patch_ctx *pc = req->ctx;
	struct upload_info info;
	char loc[256];

	if (pc == NULL)
		return 0;
	(void)checksum_settle(pc, 1);
	/* On an offload thread: the sync may wait on the disk here. */
	(void)uploads_patch_end(pc->up, &info);
	pc->up = NULL;
	snprintf(loc, sizeof(loc), "%s/%s", base, pc->file_id);
	if (pc->refused.st != ST_OK) {
		patch_answer(req, &info);
		return 1;
	}
	if (info.done)
		metrics_count("uploads_completed");
	reply_empty(req, 201);
	reply_header(req, "Location", loc);
	tus_headers(req, &info);
	return 1;
}

const struct route_stream api_tus_create_stream = { tus_create_begin,
	patch_body, patch_end };
