/*
 * Ciphertext downloads (R5) for both kinds of reader: the whole object or
 * one Range of it, so an interrupted download continues where it stopped.
 * The server streams stored bytes as they are; the browser decrypts.
 */
#include "util/common.h"

#include <errno.h>
#include <unistd.h>

#include "api/api.h"
#include "api/errors.h"
#include "api/msg_env.h"
#include "domain/receive.h"
#include "http/range.h"
#include "http/request.h"
#include "http/server.h"
#include "store/blob.h"

struct served {
	struct msg_env env;
	char msg_id[RAND_ID_LEN + 1];
	char actor[RAND_ID_LEN + 1];
	int64_t idx;
};

/* The last byte went out: that is a download (P3). */
static void
on_served(struct request *req, int ok)
{
	struct served *s = req->done_arg;

	if (ok)
		receive_downloaded(&s->env, s->msg_id, s->idx, s->actor);
	free(s);
	req->done_arg = NULL;
}

void
api_serve_file(struct request *req, const struct file_row *f, const char *actor)
{
	uint64_t size, off = 0, len = 0;
	enum range_result rr;
	struct served *s;
	char etag[RAND_ID_LEN + 3], cr[48];
	int fd;

	fd = blob_open_read(req->app->store, f->object_key, &size);
	if (fd == -1) {
		if (errno == ENOENT)
			reply_error(req, 410, "gone", "This document is gone");
		else
			reply_error(req, 500, "internal", "Internal error");
		return;
	}
	rr = http_range_parse(request_header(req, "Range"), size, &off, &len);
	if (rr == RANGE_UNSATISFIABLE) {
		close(fd);
		reply_error(req, 416, "bad_range", "Range not satisfiable");
		snprintf(cr, sizeof(cr), "bytes */%" PRIu64, size);
		reply_header(req, "Content-Range", cr);
		return;
	}
	if (rr == RANGE_OK)
		reply_fd_range(
		    req, "application/octet-stream", fd, off, len, size);
	else
		reply_fd(req, 200, "application/octet-stream", fd, size);
	snprintf(etag, sizeof(etag), "\"%s\"", f->id);
	reply_header(req, "ETag", etag);
	reply_header(req, "Accept-Ranges", "bytes");
	if (actor == NULL || (rr == RANGE_OK && off + len != size))
		return;
	s = xcalloc(1, sizeof(*s));
	api_msg_env(req, &s->env);
	snprintf(s->msg_id, sizeof(s->msg_id), "%s", f->message_id);
	snprintf(s->actor, sizeof(s->actor), "%s", actor);
	s->idx = f->idx;
	req->done = on_served;
	req->done_arg = s;
}

void
api_message_file(struct request *req)
{
	struct msg_result r;
	struct msg_env env;
	struct file_row f;
	struct msg_row m;
	int rcpt;

	api_msg_env(req, &env);
	r = receive_party(&env, req->params[0], req->user, &m, &rcpt);
	if (r.st == MSG_OK) {
		r = receive_file(&env, &m, req->params[1], &f);
		msg_row_release(&m);
	}
	if (r.st != MSG_OK) {
		api_msg_error(req, r);
		return;
	}
	/* The sender reading their own message is not a download. */
	api_serve_file(req, &f, rcpt ? req->user->id : NULL);
	file_row_release(&f);
}
