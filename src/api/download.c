/*
 * Ciphertext downloads (R5) for both kinds of reader: the whole object or
 * one Range of it, so an interrupted download continues where it stopped.
 * The server streams stored bytes as they are; the browser decrypts.
 */
#include "util/common.h"

#include "api/api.h"
#include "api/errors.h"
#include "api/msg_env.h"
#include "domain/download.h"
#include "domain/receive.h"
#include "http/metrics.h"
#include "http/range.h"
#include "http/request.h"
#include "http/server.h"

struct served {
	struct msg_env env;
	char msg_id[RAND_ID_LEN + 1];
	char actor[RAND_ID_LEN + 1];
	char member[RAND_ID_LEN + 1]; /* acting for mailbox actor, or "" */
	int64_t idx;
};

/* The last byte went out: that is a download (P3). */
static void
on_served(struct request *req, int ok)
{
	struct served *s = req->done_arg;

	if (ok)
		receive_downloaded(
		    &s->env, s->msg_id, s->idx, s->actor, s->member);
	free(s);
	req->done_arg = NULL;
}

/* A streamed object (a backend without files): the reader and where the
 * body starts in the object. */
struct stream {
	struct download *r;
	uint64_t base;
};

static ssize_t
stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *st = cls;
	ssize_t n = download_read(st->r, st->base + pos, buf, max);

	/* libmicrohttpd asks only for bytes inside the Content-Length, so
	 * an early end is the object changing under us: an error. */
	return n > 0 ? n : REPLY_STREAM_ERROR;
}

static void
stream_free(void *cls)
{
	struct stream *st = cls;

	download_close(st->r);
	free(st);
}

/* Answers with len bytes of r from off (206 when ranged); takes r. */
static void
reply_object(struct request *req, struct download *r, int ranged, uint64_t off,
    uint64_t len, uint64_t size)
{
	const char *ct = "application/octet-stream";
	struct stream *st;
	int fd = download_take_fd(r);

	if (fd != -1) {
		download_close(r);
		if (ranged)
			reply_fd_range(req, ct, fd, off, len, size);
		else
			reply_fd(req, 200, ct, fd, size);
		return;
	}
	st = xcalloc(1, sizeof(*st));
	st->r = r;
	st->base = off;
	reply_stream(req, ranged ? 206 : 200, ct, off, len, size, stream_read,
	    stream_free, st);
}

void
api_serve_file(struct request *req, const struct file_row *f, const char *actor)
{
	uint64_t size, off = 0, len = 0;
	struct download *r = NULL;
	enum download_status ds;
	enum range_result rr;
	struct msg_env env;
	struct served *s;
	char etag[RAND_ID_LEN + 3], cr[48];

	api_msg_env(req, &env);
	ds = download_open(&env, f, &r, &size);
	if (ds != DOWNLOAD_OK) {
		if (ds == DOWNLOAD_GONE)
			reply_error(req, 410, "gone", "This document is gone");
		else {
			/* The store does not answer (S3 down): try again. */
			reply_error(req, 503, "storage_unavailable",
			    "The storage does not answer; try again later");
			reply_header(req, "Retry-After", "5");
		}
		return;
	}
	rr = http_range_parse(request_header(req, "Range"), size, &off, &len);
	if (rr == RANGE_UNSATISFIABLE) {
		download_close(r);
		reply_error(req, 416, "bad_range", "Range not satisfiable");
		snprintf(cr, sizeof(cr), "bytes */%" PRIu64, size);
		reply_header(req, "Content-Range", cr);
		return;
	}
	metrics_add("download_bytes", rr == RANGE_OK ? len : size);
	if (rr == RANGE_OK)
		reply_object(req, r, 1, off, len, size);
	else
		reply_object(req, r, 0, 0, size, size);
	snprintf(etag, sizeof(etag), "\"%s\"", f->id);
	reply_header(req, "ETag", etag);
	reply_header(req, "Accept-Ranges", "bytes");
	/* §3 #32: ciphertext is never shown, only saved, and a browser that
	 * opened it anyway gets a sandbox (no script, no same origin). A
	 * second policy: both it and the site's are enforced. */
	reply_header(
	    req, "Content-Disposition", "attachment; filename=\"blob.bin\"");
	reply_header(req, "Content-Security-Policy", "sandbox");
	if (actor == NULL || (rr == RANGE_OK && off + len != size))
		return;
	s = xcalloc(1, sizeof(*s));
	api_msg_env(req, &s->env);
	snprintf(s->msg_id, sizeof(s->msg_id), "%s", f->message_id);
	snprintf(s->actor, sizeof(s->actor), "%s", actor);
	if (req->user != NULL && strcmp(actor, req->user->id) == 0)
		snprintf(
		    s->member, sizeof(s->member), "%s", req->user->member_id);
	s->idx = f->idx;
	req->done = on_served;
	req->done_arg = s;
}

void
api_message_file(struct request *req)
{
	struct st_result r;
	struct msg_env env;
	struct file_row f;
	struct msg_row m;
	int rcpt;

	api_msg_env(req, &env);
	r = receive_party(&env, req->params[0], req->user, &m, &rcpt);
	if (r.st == ST_OK) {
		r = receive_file(&env, &m, req->params[1], &f);
		msg_row_release(&m);
	}
	if (r.st != ST_OK) {
		api_error(req, r);
		return;
	}
	/* The sender reading their own message is not a download. */
	api_serve_file(req, &f, rcpt ? req->user->id : NULL);
	file_row_release(&f);
}
