/*
 * libmicrohttpd glue: per-request state, body limits, dispatch through the
 * route table, the access log, and the start/drain/stop lifecycle.
 *
 * A request's life: the URI-log callback allocates struct request; the
 * access handler is called once with the headers (route, method, size and
 * content-type checks happen here, so a too-large body is refused before it
 * is read), once per body chunk, and once more at the end, when the handler
 * runs; the completion callback logs, counts and frees.
 */
#include "util/common.h"

#include <microhttpd.h>
#include <signal.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "api/errors.h"
#include "api/api.h"
#include "http/csrf.h"
#include "http/deadline.h"
#include "http/listen.h"
#include "http/method.h"
#include "http/metrics.h"
#include "http/mhd_log.h"
#include "http/offload.h"
#include "http/proxy.h"
#include "http/request.h"
#include "http/router.h"
#include "http/server.h"
#include "http/session.h"
#include "http/static.h"
#include "http/strict.h"
#include "domain/fault.h"
#include "domain/uploads.h"
#include "util/config.h"
#include "util/log.h"
#include "util/num.h"

#define URI_MAX 8192

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Called as soon as the request line is read: allocate the state. */
static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct app *app = cls;
	struct request *req = xcalloc(1, sizeof(*req));

	ST_UNUSED(uri);
	/* libmicrohttpd's threads serve many connections each: none of them
	 * may wait for a database lock held elsewhere (db.h). */
	fault_event_thread();
	req->app = app;
	req->conn = conn;
	req->start_ns = now_ns();
	req->route_idx = -1;
	rand_id(req->id);
	buf_init(&req->body, (size_t)app->cfg->server_body_limit);
	proxy_peer(req);
	atomic_fetch_add(&app->active, 1);
	return req;
}

static void
log_request(struct request *req, double ms)
{
	const char *route = req->route != NULL ? req->route->pattern :
	                                         "unmatched";

	/* The route pattern, never the path: paths may carry ids of links. */
	log_info("request", "{s:s,s:s,s:s,s:i,s:f,s:I,s:I,s:s}", "request_id",
	    req->id, "method", req->method ? req->method : "-", "route", route,
	    "status", (int)req->status, "ms", ms, "bytes_in",
	    (json_int_t)req->bytes_in, "bytes_out", (json_int_t)req->bytes_out,
	    "ip", req->ip);
}

/*
 * libmicrohttpd answered the request itself, before any handler ran: a
 * head it could not take (a bad Content-Length, headers past 32 KiB, an
 * unknown HTTP version). Its status, for the access log.
 */
static void
mhd_answered(struct request *req)
{
	const union MHD_ConnectionInfo *ci;

	ci = MHD_get_connection_info(
	    req->conn, MHD_CONNECTION_INFO_HTTP_STATUS);
	if (ci != NULL && ci->http_status != 0)
		req->status = ci->http_status;
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct app *app = cls;
	struct request *req = *con_cls;
	double secs;
	size_t i;

	ST_UNUSED(conn);
	if (req == NULL)
		return;
	if (req->stream_begun && req->route->stream->end != NULL)
		req->route->stream->end(
		    req, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK);
	if (req->done != NULL)
		req->done(req, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK);
	secs = (double)(now_ns() - req->start_ns) / 1e9;
	if (!req->started)
		mhd_answered(req);
	if (req->status == 0)
		req->status = toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? 200 :
		                                                           499;
	deadline_request_done(app->deadline, conn);
	log_request(req, secs * 1000.0);
	metrics_request(
	    req->route_idx, req->status, secs, req->bytes_in, req->bytes_out);
	if (req->resp != NULL)
		MHD_destroy_response(req->resp);
	for (i = 0; i < REQUEST_MAX_PARAMS; i++)
		free(req->params[i]);
	buf_release(&req->body);
	session_release(req);
	free(req->method);
	free(req->path);
	free(req);
	*con_cls = NULL;
	atomic_fetch_sub(&app->active, 1);
}

static void
on_connection(void *cls, struct MHD_Connection *conn, void **socket_ctx,
    enum MHD_ConnectionNotificationCode toe)
{
	struct app *app = cls;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED)
		deadline_conn_started(app->deadline, conn, socket_ctx);
	else
		deadline_conn_closed(app->deadline, socket_ctx);
	metrics_connection(toe == MHD_CONNECTION_NOTIFY_STARTED ? 1 : -1);
}

/* "application/json; charset=utf-8" against "application/json|text/x". */
static int
ctype_allowed(const char *have, const char *allowed)
{
	size_t hl;
	const char *p = allowed;

	if (have == NULL)
		return 0;
	hl = strcspn(have, ";");
	while (hl > 0 && have[hl - 1] == ' ')
		hl--;
	while (*p != '\0') {
		size_t l = strcspn(p, "|");

		if (l == hl && strncasecmp(p, have, l) == 0)
			return 1;
		p += l;
		if (*p == '|')
			p++;
	}
	return 0;
}

static int
known_method(const char *m)
{
	static const char *const ok[] = { "GET", "HEAD", "POST", "PUT", "PATCH",
		"DELETE", "OPTIONS" };
	size_t i;

	for (i = 0; i < ST_ARRAY_LEN(ok); i++)
		if (strcmp(m, ok[i]) == 0)
			return 1;
	return 0;
}

static int
needs_csrf(const struct request *req)
{
	const char *m = req->method;

	if (strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 ||
	    strcmp(m, "OPTIONS") == 0)
		return 0;
	return !(req->route->flags & (ROUTE_NO_CSRF | ROUTE_OPS));
}

/*
 * A refused request with a body: a client that is still sending cannot
 * read an answer sent before its body is taken in (it sees a broken pipe,
 * not the 409 that would tell a tus client to ask for the offset). So a
 * streaming route's body of up to STREAM_DRAIN_MAX bytes is read and
 * dropped, and the answer goes out at its end; larger ones are cut off.
 * Any other route's, up to OTHER_DRAIN_MAX: a proxy that streams the body
 * (docs/deploy.md) turns a reset in the middle of it into a 502, and a
 * browser into a network error, instead of the 413 that was sent.
 */
#define STREAM_DRAIN_MAX (UINT64_C(64) << 20)
#define OTHER_DRAIN_MAX (UINT64_C(1) << 20)

static int
refuse(struct request *req, uint64_t body_len)
{
	if (body_len <=
	    (req->route->stream != NULL ? STREAM_DRAIN_MAX : OTHER_DRAIN_MAX)) {
		req->discard_body = 1;
		return 0;
	}
	return -1;
}

/* The checks made with the headers only; 0 when the request may go on. */
static int
admit(struct request *req, const char *url, const char *method,
    const char *version)
{
	char allow[128];
	const char *cl, *te, *taken;
	size_t idx, limit;
	uint64_t len = 0;

	req->method = xstrdup(method);
	req->path = xstrndup(url, URI_MAX);
	req->is_api = strncmp(url, "/api/", 5) == 0;
	/* Who the client is, and whether its head can be read one way only,
	 * before anything else reads the head. */
	proxy_resolve(req);
	if (strict_check_request(req, version) == -1)
		return -1;
	if ((taken = method_effective(req, url, method)) == NULL)
		return -1;
	if (taken != method) {
		free(req->method);
		req->method = xstrdup(taken);
		method = taken;
	}
	if (strlen(url) >= URI_MAX) {
		reply_error(req, 414, "uri_too_long", "The URL is too long");
		return -1;
	}
	if (!known_method(method)) {
		reply_error(req, 405, "method_not_allowed",
		    "This method is not supported");
		return -1;
	}
	cl = request_header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);
	te = request_header(req, MHD_HTTP_HEADER_TRANSFER_ENCODING);
	switch (router_match(method, url, &idx, req->params, REQUEST_MAX_PARAMS,
	    allow, sizeof(allow))) {
	case ROUTE_NO_PATH:
		static_not_found(req);
		return -1;
	case ROUTE_BAD_METHOD:
		reply_error(req, 405, "method_not_allowed",
		    "This method is not allowed here");
		reply_header(req, "Allow", allow);
		return -1;
	case ROUTE_FOUND:
		break;
	}
	req->route = &routes[idx];
	req->route_idx = (int)idx;
	if (req->ops_listener && !(req->route->flags & ROUTE_OPS)) {
		reply_error(req, 404, "not_found", "Not found");
		return -1;
	}
	limit = req->route->body_limit ?
	    req->route->body_limit :
	    (size_t)req->app->cfg->server_body_limit;
	req->body.max = limit;
	if (cl != NULL && (num_parse_u64(cl, 0, UINT64_MAX, &len) == -1)) {
		reply_error(req, 400, "bad_request", "Bad Content-Length");
		return -1;
	}
	if (req->route->stream == NULL && cl != NULL && len > limit) {
		reply_error(req, 413, "payload_too_large",
		    "The request body is too large");
		return refuse(req, len);
	}
	if (req->route->ctypes != NULL && (cl != NULL || te != NULL) &&
	    !ctype_allowed(request_header(req, MHD_HTTP_HEADER_CONTENT_TYPE),
	        req->route->ctypes)) {
		reply_error(req, 415, "unsupported_media_type",
		    "Unsupported Content-Type");
		return -1;
	}
	/* Who may do this is known from the headers: never store a body
	 * for a request that will be refused. */
	if (needs_csrf(req) && csrf_check(req) == -1)
		return refuse(req, cl != NULL ? len : UINT64_MAX);
	fault_clear();
	if ((req->route->flags & (ROUTE_AUTH | ROUTE_SESSION)) &&
	    session_load(req) == -1 && (req->route->flags & ROUTE_AUTH)) {
		/* A session that could not be looked up is not a logout. */
		if ((req->db_fault = (int)fault_get()) != ST_FAULT_NONE)
			api_db_fault_error(req, fault_get());
		else
			reply_error(req, 401, "not_logged_in", "Log in first");
		return refuse(req, cl != NULL ? len : UINT64_MAX);
	}
	if ((req->route->flags & ROUTE_MAILBOX) && req->user != NULL &&
	    session_act_as(req) == -1)
		return refuse(req, cl != NULL ? len : UINT64_MAX);
	/* Beheer: the role and a fresh second factor, before any body. */
	if ((req->route->flags & ROUTE_ADMIN) && api_admin_gate(req) == -1)
		return refuse(req, cl != NULL ? len : UINT64_MAX);
	if (req->route->stream != NULL) {
		if (req->route->stream->begin(req) == -1) {
			req->db_fault = (int)fault_get();
			return refuse(req, cl != NULL ? len : UINT64_MAX);
		}
		req->stream_begun = 1;
	}
	return 0;
}

static enum MHD_Result
send_reply(struct request *req)
{
	if (req->resp == NULL)
		reply_error(req, 500, "internal", "No response");
	if (req->status == 500 && req->db_fault != ST_FAULT_NONE)
		api_db_fault_error(req, (enum st_fault)req->db_fault);
	/* tus: on every answer of an upload endpoint, errors included (a
	 * 401, 403, 405 or 415 of this layer too). */
	if (req->path != NULL && method_tus_path(req->path) &&
	    MHD_get_response_header(req->resp, "Tus-Resumable") == NULL)
		MHD_add_response_header(req->resp, "Tus-Resumable", "1.0.0");
	reply_add_common_headers(req);
	if (req->close)
		MHD_add_response_header(req->resp, "Connection", "close");
	return MHD_queue_response(req->conn, req->status, req->resp);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct request *req = *con_cls;
	struct offload *lane;

	if (req == NULL)
		return MHD_NO;
	req->conn = conn;
	req->ops_listener = cls != req->app;
	if (!req->started) {
		req->started = 1;
		deadline_head_done(req->app->deadline, conn);
		if (admit(req, url, method, version) == -1)
			return send_reply(req);
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		req->bytes_in += *upload_data_size;
		if (deadline_body_slow(req, *upload_data_size, now_ns()))
			return MHD_NO;
		/* A chunked body that outgrows its limit: libmicrohttpd
		 * cannot answer in the middle of a body, so the rest is
		 * read and dropped (bounded by the connection timeout) and
		 * the 413 goes out at the end. Content-Length bodies were
		 * refused before reading. */
		if (req->route->stream != NULL) {
			uint64_t t0 = now_ns();

			if (!req->discard_body && req->resp == NULL &&
			    req->route->stream->body(
			        req, upload_data, *upload_data_size) == -1)
				req->discard_body = 1;
			req->busy_ns = now_ns() - t0;
			*upload_data_size = 0;
			return MHD_YES;
		}
		if (!req->discard_body &&
		    buf_add(&req->body, upload_data, *upload_data_size) == -1) {
			req->discard_body = 1;
			buf_release(&req->body);
			reply_error(req, 413, "payload_too_large",
			    "The request body is too large");
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	/* The call after request_resume: the answer is set. */
	if (req->deferred)
		return send_reply(req);
	/* Not once stopping: what is handed over must be answered before the
	 * daemon stops (server_run), and a late request could miss that. */
	if (req->resp == NULL && (lane = offload_lane(req)) != NULL &&
	    !atomic_load(&req->app->stopping)) {
		request_suspend(req);
		offload_run(lane, req);
		return MHD_YES;
	}
	if (req->resp == NULL)
		offload_handle(req);
	/* Read only what this thread wrote: once suspended, req belongs to
	 * the thread that will answer it. */
	if (req->deferred)
		return MHD_YES;
	return send_reply(req);
}

/* A daemon on the listening socket fd (listen.c; MHD does not close it). */
static struct MHD_Daemon *
start_daemon(struct app *app, int fd, void *handler_cls, unsigned threads)
{
	const struct config *cfg = app->cfg;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;

	/* The logger first, or MHD prints what comes before it itself. */
	return MHD_start_daemon(flags, 0, NULL, NULL, on_request, handler_cls,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_LISTEN_SOCKET,
	    fd, MHD_OPTION_THREAD_POOL_SIZE, threads,
	    MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned)cfg->server_connection_timeout,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->server_max_connections,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT,
	    (unsigned)cfg->server_per_ip_connections,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768,
	    MHD_OPTION_URI_LOG_CALLBACK, on_uri, app,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, app,
	    MHD_OPTION_NOTIFY_CONNECTION, on_connection, app, MHD_OPTION_END);
}

/* A listening socket for addr, or -1 (logged with its cause). */
static int
open_listener(const char *addr, int reuse_port)
{
	char why[256];
	int fd = listen_open(addr, reuse_port, why, sizeof(why));

	if (fd == -1)
		log_error("cannot listen", "{s:s,s:s}", "address", addr,
		    "error", why);
	return fd;
}

/* Waits for SIGTERM or SIGINT (blocked in every thread by the caller). */
static int
wait_for_signal(void)
{
	sigset_t set;
	int sig = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (sigwait(&set, &sig) != 0)
		return -1;
	return sig;
}

static void
drain(struct app *app, struct MHD_Daemon *d, int fd)
{
	uint64_t deadline = now_ns() +
	    (uint64_t)app->cfg->server_drain_seconds * 1000000000u;
	struct timespec pause = { 0, 20 * 1000 * 1000 };

	atomic_store(&app->stopping, 1);
	/* Out of every thread's epoll set, then no longer listening: a new
	 * connection is refused at once (a load balancer fails over) while
	 * the ones in flight go on. */
	(void)MHD_quiesce_daemon(d);
	listen_stop(fd);
	while (atomic_load(&app->active) > 0 && now_ns() < deadline)
		nanosleep(&pause, NULL);
	if (atomic_load(&app->active) > 0)
		log_warn("drain timed out", "{s:i}", "in_flight",
		    atomic_load(&app->active));
}

/* Starts the daemons; 0, or -1 with what was started stopped again. */
static int
start_all(struct app *app, int fd, int ops_fd, struct MHD_Daemon **d,
    struct MHD_Daemon **ops)
{
	const struct config *cfg = app->cfg;
	/* A distinct cls marks requests of the ops listener. */
	static int ops_marker;

	*d = start_daemon(app, fd, app, (unsigned)cfg->server_threads);
	if (*d == NULL) {
		log_error("cannot start the HTTP server", "{s:s}", "address",
		    cfg->server_listen);
		return -1;
	}
	if (ops_fd != -1 &&
	    (*ops = start_daemon(app, ops_fd, &ops_marker, 1)) == NULL) {
		log_error("cannot start the HTTP server", "{s:s}", "address",
		    cfg->ops_listen);
		MHD_stop_daemon(*d);
		*d = NULL;
		return -1;
	}
	return 0;
}

int
server_run(struct app *app)
{
	const struct config *cfg = app->cfg;
	struct MHD_Daemon *d = NULL, *ops = NULL;
	int fd = -1, ops_fd = -1, rc = -1, sig;
	const char *why;
	sigset_t set;

	/* Block the signals before MHD starts threads, so they inherit it. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* Checked by config_load already. */
	if (netaddr_list_parse(
	        cfg->server_trusted_proxies, &app->trusted_proxies, &why) == -1)
		return -1;
	if ((fd = open_listener(cfg->server_listen, cfg->server_reuse_port)) ==
	        -1 ||
	    (cfg->ops_listen[0] != '\0' &&
	        (ops_fd = open_listener(cfg->ops_listen, 0)) == -1))
		goto out;
	if ((app->offload = offload_start((unsigned)cfg->server_threads)) ==
	        NULL ||
	    (app->offload_read = offload_start(
	         (unsigned)cfg->server_threads)) == NULL ||
	    (app->deadline = deadline_start(
	         (unsigned)cfg->server_header_timeout)) == NULL ||
	    start_all(app, fd, ops_fd, &d, &ops) == -1)
		goto out;
	if (ops != NULL)
		listen_log(
		    "ops listening", cfg->ops_listen, listen_port(ops_fd));
	listen_log("listening", cfg->server_listen, listen_port(fd));

	sig = wait_for_signal();
	log_info("stopping", "{s:i}", "signal", sig);
	drain(app, d, fd);
	/* A suspended request must be answered before its connection goes:
	 * the thread answering it holds it until then. */
	offload_settle(app->offload);
	offload_settle(app->offload_read);
	if (app->syncer != NULL)
		uploads_syncer_settle(app->syncer);
	MHD_stop_daemon(d);
	d = NULL;
	rc = 0;
out:
	if (d != NULL)
		MHD_stop_daemon(d);
	offload_stop(app->offload);
	offload_stop(app->offload_read);
	app->offload = app->offload_read = NULL;
	if (ops != NULL)
		MHD_stop_daemon(ops);
	deadline_stop(app->deadline);
	app->deadline = NULL;
	if (fd != -1)
		close(fd);
	if (ops_fd != -1)
		close(ops_fd);
	if (rc == 0)
		log_info("stopped", NULL);
	return rc;
}
