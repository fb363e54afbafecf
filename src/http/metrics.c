/* Prometheus counters; see metrics.h. */
#include "util/common.h"

#include <stdatomic.h>

#include "http/metrics.h"
#include "http/router.h"
#include "util/metrics.h"

#define MAX_ROUTES 128
#define NSTATUS 500 /* 100..599 */
#define NBUCKETS 12

static const double buckets[NBUCKETS] = { 0.001, 0.0025, 0.005, 0.01, 0.025,
	0.05, 0.1, 0.25, 0.5, 1, 2.5, 10 };

struct route_stats {
	atomic_uint_fast64_t status[NSTATUS];
	atomic_uint_fast64_t bucket[NBUCKETS + 1]; /* last = +Inf */
	atomic_uint_fast64_t sum_us;
};

static struct route_stats stats[MAX_ROUTES + 1]; /* last: unmatched */
static atomic_int open_connections;
static atomic_uint_fast64_t bytes_in, bytes_out;

static atomic_int patches_in_progress;

void
metrics_connection(int delta)
{
	atomic_fetch_add_explicit(
	    &open_connections, delta, memory_order_relaxed);
}

void
metrics_request(
    int route_idx, unsigned status, double seconds, uint64_t in, uint64_t out)
{
	struct route_stats *s;
	size_t b;

	if (route_idx < 0 || route_idx >= MAX_ROUTES)
		route_idx = MAX_ROUTES;
	s = &stats[route_idx];
	if (status >= 100 && status < 600)
		atomic_fetch_add_explicit(
		    &s->status[status - 100], 1, memory_order_relaxed);
	for (b = 0; b < NBUCKETS && seconds > buckets[b]; b++)
		;
	atomic_fetch_add_explicit(&s->bucket[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(
	    &s->sum_us, (uint_fast64_t)(seconds * 1e6), memory_order_relaxed);
	atomic_fetch_add_explicit(&bytes_in, in, memory_order_relaxed);
	atomic_fetch_add_explicit(&bytes_out, out, memory_order_relaxed);
}

void
metrics_patch(int delta)
{
	atomic_fetch_add_explicit(
	    &patches_in_progress, delta, memory_order_relaxed);
}

static void
route_label(int idx, char *out, size_t len)
{
	if (idx >= MAX_ROUTES || (size_t)idx >= nroutes)
		snprintf(out, len, "route=\"unmatched\",method=\"\"");
	else
		snprintf(out, len, "route=\"%s\",method=\"%s\"",
		    routes[idx].pattern, routes[idx].method);
}

static int
render_requests(struct buf *o)
{
	char label[192];
	int i, r = 0;
	size_t st;

	r |= buf_adds(o,
	    "# HELP st_http_requests_total HTTP requests by "
	    "route, method and status.\n# TYPE st_http_requests_total "
	    "counter\n");
	for (i = 0; i <= MAX_ROUTES; i++) {
		route_label(i, label, sizeof(label));
		for (st = 0; st < NSTATUS; st++) {
			uint_fast64_t n = atomic_load_explicit(
			    &stats[i].status[st], memory_order_relaxed);

			if (n > 0)
				r |= buf_printf(o,
				    "st_http_requests_total{%s,"
				    "status=\"%zu\"} %" PRIuFAST64 "\n",
				    label, st + 100, n);
		}
	}
	return r;
}

static int
render_latency(struct buf *o)
{
	char label[192];
	int i, r = 0;
	size_t b;

	r |= buf_adds(o,
	    "# HELP st_http_request_duration_seconds Time from "
	    "request line to response queued.\n# TYPE "
	    "st_http_request_duration_seconds histogram\n");
	for (i = 0; i <= MAX_ROUTES; i++) {
		uint_fast64_t cum = 0;

		for (b = 0; b <= NBUCKETS; b++)
			cum += atomic_load(&stats[i].bucket[b]);
		if (cum == 0)
			continue;
		route_label(i, label, sizeof(label));
		cum = 0;
		for (b = 0; b <= NBUCKETS; b++) {
			cum += atomic_load(&stats[i].bucket[b]);
			if (b < NBUCKETS)
				r |= buf_printf(o,
				    "st_http_request_duration_"
				    "seconds_bucket{%s,le=\"%g\"} %" PRIuFAST64
				    "\n",
				    label, buckets[b], cum);
			else
				r |= buf_printf(o,
				    "st_http_request_duration_"
				    "seconds_bucket{%s,le=\"+Inf\"} "
				    "%" PRIuFAST64 "\n",
				    label, cum);
		}
		r |= buf_printf(o,
		    "st_http_request_duration_seconds_sum{%s} "
		    "%.6f\n",
		    label, (double)atomic_load(&stats[i].sum_us) / 1e6);
		r |= buf_printf(o,
		    "st_http_request_duration_seconds_count{%s} "
		    "%" PRIuFAST64 "\n",
		    label, cum);
	}
	return r;
}

static int
gauge(struct buf *o, const char *name, const char *help, double v)
{
	return buf_printf(o, "# HELP %s %s\n# TYPE %s gauge\n%s %.17g\n", name,
	    help, name, name, v);
}

/* The values of the moment that api/ops.c gathers for a scrape. */
static int
render_snapshot(struct buf *o, const struct metrics_snapshot *s)
{
	int r = 0;

	r |= buf_printf(o,
	    "# HELP st_build_info The running build (value 1).\n"
	    "# TYPE st_build_info gauge\n"
	    "st_build_info{version=\"%s\",database=\"%s\","
	    "store=\"%s\"} 1\n",
	    ST_VERSION, s->database_driver, s->store_driver);
	r |= gauge(o, "st_tus_patches_in_progress",
	    "tus PATCH requests receiving or syncing now (active uploads).",
	    atomic_load(&patches_in_progress));
	r |= gauge(o, "st_outbox_pending",
	    "Mails and SMS waiting in the outbox (all nodes).",
	    (double)s->outbox_pending);
	r |= gauge(o, "st_outbox_oldest_pending_age_seconds",
	    "Age of the oldest row waiting in the outbox; 0 when empty.",
	    (double)s->outbox_oldest_age);
	r |= gauge(o, "st_db_pool_connections",
	    "Database connections in this node's pool (database.pool).",
	    (double)s->db_pool_size);
	r |= gauge(o, "st_db_pool_in_use",
	    "Database connections of the pool in use now.",
	    (double)s->db_pool_in_use);
	r |= gauge(o, "st_db_pool_waiting",
	    "Threads waiting for a database connection now.",
	    (double)s->db_pool_waiting);
	r |= gauge(o, "st_scrape_database_ok",
	    "1 when this scrape could read the database (outbox figures).",
	    s->db_ok ? 1 : 0);
	return r;
}

int
metrics_render(struct buf *o, const struct metrics_snapshot *snap)
{
	int r = 0;

	r |= render_requests(o);
	r |= render_latency(o);
	r |= buf_printf(o,
	    "# HELP st_http_open_connections Open client "
	    "connections.\n# TYPE st_http_open_connections gauge\n"
	    "st_http_open_connections %d\n",
	    atomic_load(&open_connections));
	r |= buf_printf(o,
	    "# HELP st_http_bytes_in_total Request body bytes "
	    "received.\n# TYPE st_http_bytes_in_total counter\n"
	    "st_http_bytes_in_total %" PRIuFAST64 "\n",
	    atomic_load(&bytes_in));
	r |= buf_printf(o,
	    "# HELP st_http_bytes_out_total Response body "
	    "bytes queued.\n# TYPE st_http_bytes_out_total counter\n"
	    "st_http_bytes_out_total %" PRIuFAST64 "\n",
	    atomic_load(&bytes_out));
	r |= metrics_render_counters(o);
	r |= render_snapshot(o, snap);
	r |= metrics_render_process(o);
	return r ? -1 : 0;
}
