/* Header deadlines and body rates; see deadline.h. */
#include "util/common.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <time.h>

#include "http/deadline.h"
#include "http/request.h"
#include "http/server.h"
#include "util/config.h"
#include "util/log.h"

/* One open connection. */
struct watched {
	struct watched *prev, *next;
	int fd;
	int waiting; /* for a request head */
	int shut; /* shutdown(2) done */
	uint64_t since_ns; /* waiting since */
};

struct deadline {
	pthread_mutex_t mu;
	pthread_cond_t wake;
	pthread_t thread;
	int stop;
	uint64_t limit_ns;
	struct watched *head;
	atomic_uint_fast64_t closed;
};

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Shuts down the connections whose head is late; under d->mu. */
static unsigned
sweep(struct deadline *d, uint64_t now)
{
	struct watched *w;
	unsigned n = 0;

	for (w = d->head; w != NULL; w = w->next) {
		if (!w->waiting || w->shut || now - w->since_ns < d->limit_ns)
			continue;
		/* The socket stays open (libmicrohttpd closes it, after
		 * deadline_conn_closed, which waits for this lock): the
		 * descriptor cannot be another connection's yet. */
		(void)shutdown(w->fd, SHUT_RDWR);
		w->shut = 1;
		n++;
	}
	return n;
}

static void *
sweeper(void *arg)
{
	struct deadline *d = arg;
	struct timespec at;
	unsigned n;

	pthread_mutex_lock(&d->mu);
	while (!d->stop) {
		clock_gettime(CLOCK_MONOTONIC, &at);
		at.tv_sec += 1;
		(void)pthread_cond_timedwait(&d->wake, &d->mu, &at);
		if (d->stop)
			break;
		if ((n = sweep(d, mono_ns())) > 0) {
			atomic_fetch_add(&d->closed, n);
			log_info("closed slow connections", "{s:s,s:i}",
			    "reason", "request head not complete in time",
			    "count", (int)n);
		}
	}
	pthread_mutex_unlock(&d->mu);
	return NULL;
}

struct deadline *
deadline_start(unsigned header_timeout)
{
	struct deadline *d = xcalloc(1, sizeof(*d));
	pthread_condattr_t ca;

	d->limit_ns = (uint64_t)header_timeout * 1000000000u;
	pthread_mutex_init(&d->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&d->wake, &ca);
	pthread_condattr_destroy(&ca);
	atomic_init(&d->closed, 0);
	if (pthread_create(&d->thread, NULL, sweeper, d) != 0) {
		log_error("cannot start the deadline thread", NULL);
		pthread_cond_destroy(&d->wake);
		pthread_mutex_destroy(&d->mu);
		free(d);
		return NULL;
	}
	return d;
}

void
deadline_stop(struct deadline *d)
{
	struct watched *w, *next;

	if (d == NULL)
		return;
	pthread_mutex_lock(&d->mu);
	d->stop = 1;
	pthread_cond_signal(&d->wake);
	pthread_mutex_unlock(&d->mu);
	pthread_join(d->thread, NULL);
	/* Only after every daemon stopped: none is left to report. */
	for (w = d->head; w != NULL; w = next) {
		next = w->next;
		free(w);
	}
	pthread_cond_destroy(&d->wake);
	pthread_mutex_destroy(&d->mu);
	free(d);
}

void
deadline_conn_started(
    struct deadline *d, struct MHD_Connection *conn, void **socket_ctx)
{
	const union MHD_ConnectionInfo *ci;
	struct watched *w;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (ci == NULL)
		return;
	w = xcalloc(1, sizeof(*w));
	w->fd = ci->connect_fd;
	w->waiting = 1;
	w->since_ns = mono_ns();
	pthread_mutex_lock(&d->mu);
	w->next = d->head;
	if (d->head != NULL)
		d->head->prev = w;
	d->head = w;
	pthread_mutex_unlock(&d->mu);
	*socket_ctx = w;
}

void
deadline_conn_closed(struct deadline *d, void **socket_ctx)
{
	struct watched *w = *socket_ctx;

	if (w == NULL)
		return;
	pthread_mutex_lock(&d->mu);
	if (w->prev != NULL)
		w->prev->next = w->next;
	else
		d->head = w->next;
	if (w->next != NULL)
		w->next->prev = w->prev;
	pthread_mutex_unlock(&d->mu);
	free(w);
	*socket_ctx = NULL;
}

static void
set_waiting(struct deadline *d, struct MHD_Connection *conn, int waiting)
{
	const union MHD_ConnectionInfo *ci;
	struct watched *w;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	if (d == NULL || ci == NULL || (w = ci->socket_context) == NULL)
		return;
	pthread_mutex_lock(&d->mu);
	w->waiting = waiting;
	w->since_ns = mono_ns();
	pthread_mutex_unlock(&d->mu);
}

void
deadline_head_done(struct deadline *d, struct MHD_Connection *conn)
{
	set_waiting(d, conn, 0);
}

void
deadline_request_done(struct deadline *d, struct MHD_Connection *conn)
{
	set_waiting(d, conn, 1);
}

uint64_t
deadline_closed_count(const struct deadline *d)
{
	return d != NULL ? atomic_load(&d->closed) : 0;
}

int
body_rate_check(struct body_rate *br, uint64_t now_ns, uint64_t n,
    uint64_t busy_ns, uint64_t min_rate, uint64_t window_s)
{
	uint64_t window = window_s * 1000000000u, client_ns;

	if (min_rate == 0 || window == 0)
		return 0;
	if (br->window_start_ns == 0) {
		br->window_start_ns = now_ns;
		br->window_bytes = n;
		br->busy_ns = 0;
		return 0;
	}
	br->window_bytes += n;
	br->busy_ns += busy_ns;
	client_ns = now_ns - br->window_start_ns;
	client_ns = client_ns > br->busy_ns ? client_ns - br->busy_ns : 0;
	if (client_ns < window)
		return 0;
	/* bytes / seconds < min_rate (doubles: the products overflow). */
	if ((double)br->window_bytes * 1e9 <
	    (double)min_rate * (double)client_ns)
		return -1;
	br->window_start_ns = now_ns;
	br->window_bytes = 0;
	br->busy_ns = 0;
	return 0;
}

int
deadline_body_slow(struct request *req, size_t n, uint64_t now_ns)
{
	const struct config *cfg = req->app->cfg;

	if (body_rate_check(&req->rate, now_ns, n, req->busy_ns,
	        (uint64_t)cfg->server_min_body_rate,
	        (uint64_t)cfg->server_body_rate_window) == 0)
		return 0;
	log_info("closed slow connection", "{s:s,s:s,s:s,s:I}", "request_id",
	    req->id, "reason", "request body below server.min_body_rate", "ip",
	    req->ip, "bytes_in", (json_int_t)req->bytes_in);
	req->status = 408;
	return 1;
}
