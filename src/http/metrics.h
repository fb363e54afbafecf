/*
 * Counters for /metrics (Prometheus text format 0.0.4): requests by route,
 * method and status, a latency histogram per route, open connections and
 * bytes in and out. Lock-free: relaxed atomics only.
 */
#ifndef ST_METRICS_H
#define ST_METRICS_H

#include <stdint.h>

#include "util/buf.h"

void metrics_connection(int delta);
/* route_idx -1 for unmatched requests. */
void metrics_request(int route_idx, unsigned status, double seconds,
    uint64_t bytes_in, uint64_t bytes_out);
/* A named counter of the application (csp reports, mails sent...). */
void metrics_count(const char *name);
/* Appends the exposition text; -1 if the buffer cap is reached. */
int metrics_render(struct buf *out);

#endif
