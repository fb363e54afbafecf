/*
 * The HTTP server: libmicrohttpd with a thread pool on epoll, the main
 * listener and the optional internal ops listener, and a graceful drain
 * on SIGTERM/SIGINT.
 */
#ifndef ST_SERVER_H
#define ST_SERVER_H

#include "http/app.h"

struct request;

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
