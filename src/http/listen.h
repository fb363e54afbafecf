/*
 * The listening sockets. They are made here and handed to libmicrohttpd
 * (MHD_OPTION_LISTEN_SOCKET) rather than made by it, so that:
 *  - a port already taken is a clear error naming the cause (a second
 *    `serve` on the same port exits 1 instead of sharing the traffic);
 *  - SO_REUSEPORT is set only when asked for (server.reuse_port: several
 *    processes then split the connections of one port, on purpose);
 *  - on SIGTERM the socket can stop listening at once (listen_stop) while
 *    the requests in flight finish, so a load balancer fails over.
 */
#ifndef ST_LISTEN_H
#define ST_LISTEN_H

#include <stddef.h>

/*
 * A non-blocking TCP socket listening on addr ("host:port", port 0 = any),
 * SO_REUSEADDR always (a restart need not wait for TIME_WAIT), SO_REUSEPORT
 * with reuse_port. The fd, or -1 with a one-line reason in err.
 */
int listen_open(const char *addr, int reuse_port, char *err, size_t errlen);

/* Stops accepting on fd at once: new connections are refused, those not
 * yet accepted are reset. fd stays open (the caller closes it). */
void listen_stop(int fd);

/* The port fd is bound to, or 0. */
unsigned listen_port(int fd);

/* Logs what ("listening") with the URL of addr at port. */
void listen_log(const char *what, const char *addr, unsigned port);

#endif
