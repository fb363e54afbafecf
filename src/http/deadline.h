/*
 * Slow clients (SECURITY.md §4, "Slowloris"). libmicrohttpd's
 * connection_timeout is an idle timeout: a client that sends one header
 * byte every few seconds, or a body at one byte a second, never reaches
 * it and holds its connection for ever. Two limits end that:
 *
 *  - A header deadline: from its start, and again from the end of each
 *    request, a connection has server.header_timeout seconds to deliver
 *    a whole request head. No callback of libmicrohttpd runs while a head
 *    comes in, so a thread (the sweeper) looks at every connection once a
 *    second and shuts the late ones down (shutdown(2) on the socket:
 *    libmicrohttpd then sees the end of the stream and closes it itself,
 *    so the socket is never closed under it).
 *
 *  - A minimum body rate: once a body has begun, every window of
 *    server.body_rate_window seconds must bring at least
 *    server.min_body_rate bytes a second. Time the server itself spends on
 *    the bytes (a disk write, a part sent to S3) is not counted against
 *    the client. A client below the rate is disconnected; a tus upload
 *    keeps its durable bytes and resumes.
 */
#ifndef ST_DEADLINE_H
#define ST_DEADLINE_H

#include <stdint.h>

#include <stddef.h>

struct MHD_Connection;
struct deadline;
struct request;

/* Starts the sweeper; header_timeout in seconds. NULL on failure. */
struct deadline *deadline_start(unsigned header_timeout);
/* Stops the sweeper and frees what is left; NULL is a no-op. */
void deadline_stop(struct deadline *d);

/* MHD_OPTION_NOTIFY_CONNECTION: a connection starts (its state goes into
 * *socket_ctx) or ends. */
void deadline_conn_started(
    struct deadline *d, struct MHD_Connection *conn, void **socket_ctx);
void deadline_conn_closed(struct deadline *d, void **socket_ctx);
/* The head of a request is in: no deadline until the request ends. */
void deadline_head_done(struct deadline *d, struct MHD_Connection *conn);
/* The request ended: the next head's deadline starts now. */
void deadline_request_done(struct deadline *d, struct MHD_Connection *conn);

/* Connections shut down for a late head, since the start. */
uint64_t deadline_closed_count(const struct deadline *d);

/* The body-rate state of one request; zeroed with the request. */
struct body_rate {
	uint64_t window_start_ns; /* 0: the body has not begun */
	uint64_t window_bytes;
	uint64_t busy_ns; /* server time inside this window */
};

/*
 * Called with each piece of a body (n bytes, arriving at now_ns); busy_ns
 * is how long the server spent on the previous piece. 0 while the client
 * keeps up; -1 when the window just ended below min_rate (bytes/s).
 * min_rate 0 turns the check off.
 */
int body_rate_check(struct body_rate *br, uint64_t now_ns, uint64_t n,
    uint64_t busy_ns, uint64_t min_rate, uint64_t window_s);

/*
 * body_rate_check for req's next n body bytes at now_ns, against the
 * server settings. 1 (logged; req->status 408 for the access log) when
 * the client is too slow: the caller closes the connection (libmicrohttpd
 * cannot answer in the middle of a body).
 */
int deadline_body_slow(struct request *req, size_t n, uint64_t now_ns);

#endif
