/*
 * The HTTP server: libmicrohttpd with a thread pool on epoll, the main
 * listener and the optional internal ops listener, and a graceful drain
 * on SIGTERM/SIGINT.
 */
#ifndef ST_SERVER_H
#define ST_SERVER_H

#include <stdatomic.h>

#include "util/netaddr.h"
#include "util/secrets.h"

struct config;
struct db;
struct blob_store;
struct request;
struct uploads_syncer;
struct offload;
struct deadline;

/* What every handler may reach through req->app; one per process. */
struct app {
	const struct config *cfg;
	struct db *db;
	struct blob_store *store;
	struct uploads_syncer *syncer; /* ends tus PATCHes; NULL: inline */
	struct offload *offload; /* handlers that may write (server_run) */
	struct offload *offload_read; /* GET and HEAD handlers */
	int web_root_fd; /* -1: no front end built */
	int tls; /* public_url is https */
	int secure_cookies; /* Secure + __Host- prefix */
	struct secrets secrets; /* pepper and keys */
	struct netaddr_list trusted_proxies; /* server.trusted_proxies */
	struct deadline *deadline; /* slow clients (server_run) */
	atomic_int active; /* requests in flight */
	atomic_int stopping;
};

/*
 * Runs the server until SIGTERM or SIGINT, then stops listening at once
 * (new connections are refused), waits up to server.drain_seconds for
 * requests in flight (and for every suspended one to be answered: see
 * request_suspend), and returns 0. -1 when a listener cannot start (the
 * reason is logged: a port in use names the cause).
 */
int server_run(struct app *app);

/* Adds the security headers; called for every response (reply.c). */
void reply_add_common_headers(struct request *req);

#endif
