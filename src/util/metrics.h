/*
 * The application's named counters for /metrics (mails sent, purge runs,
 * upload bytes...): any layer counts here, http/metrics.c renders them
 * with the HTTP figures. Lock-free: relaxed atomics only.
 */
#ifndef ST_UTIL_METRICS_H
#define ST_UTIL_METRICS_H

#include <stdint.h>

#include "util/buf.h"

/*
 * A named counter of the application (csp reports, mails sent...),
 * exported as st_<name>_total; name must be a string literal. The known
 * names and their help texts are listed in metrics.c.
 */
void metrics_count(const char *name);
void metrics_add(const char *name, uint64_t delta);
/* Appends every counter (HELP, TYPE, value); -1 if the buffer cap is
 * reached. */
int metrics_render_counters(struct buf *out);

#endif
