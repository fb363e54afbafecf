/*
 * Counters for /metrics (Prometheus text format 0.0.4): requests by route,
 * method and status, a latency histogram per route, open connections and
 * bytes in and out, the application's counters, the process (CPU, memory,
 * file descriptors) and the figures of a scrape's snapshot (outbox,
 * database pool). Every metric has HELP and TYPE and is there from the
 * start (at zero); `promtool check metrics` accepts the text (tests).
 * Lock-free: relaxed atomics only.
 */
#ifndef ST_METRICS_H
#define ST_METRICS_H

#include <stdint.h>

#include "util/buf.h"
#include "util/metrics.h"

void metrics_connection(int delta);
/* route_idx -1 for unmatched requests. */
void metrics_request(int route_idx, unsigned status, double seconds,
    uint64_t bytes_in, uint64_t bytes_out);
/* The application's named counters (metrics_count) are util/metrics.h's;
 * included here for the HTTP side's callers. */
/* A tus PATCH starts (+1) or ends (-1). */
void metrics_patch(int delta);

/* What a scrape reads from elsewhere (api/ops.c gathers it). */
struct metrics_snapshot {
	const char *database_driver, *store_driver;
	int db_ok; /* the outbox figures could be read */
	int64_t outbox_pending, outbox_oldest_age; /* rows, seconds */
	int64_t db_pool_size, db_pool_in_use, db_pool_waiting;
};

/* Appends the exposition text; -1 if the buffer cap is reached. */
int metrics_render(struct buf *out, const struct metrics_snapshot *snap);
/* The process_* metrics (metrics_proc.c). */
int metrics_render_process(struct buf *out);

#endif
