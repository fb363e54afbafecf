/*
 * The process's shared state that every handler reaches through req->app
 * (a type only: server.c fills it in server_run). Its own header so that
 * what needs the type (offload.c, the handlers) does not depend on the
 * server loop.
 */
#ifndef ST_APP_H
#define ST_APP_H

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

#endif
