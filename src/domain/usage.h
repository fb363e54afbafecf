/*
 * The overview of Beheer (O6, "Overzicht"): per Amsterdam day or ISO week,
 * for one organisation or all, the messages sent, those to outsiders, the
 * bytes, the SMS sent (the cost line), wrong codes, locks, requests and
 * drop-offs; the storage in use now, and the outbox (mail and SMS queue).
 * Counts and sizes only.
 */
#ifndef ST_USAGE_H
#define ST_USAGE_H

#include <stddef.h>
#include <stdint.h>

#include "domain/admin.h"
#include "db/usage_db.h"

#define USAGE_MAX_DAYS 92
#define USAGE_MAX_WEEKS 53

struct usage_bucket {
	int64_t start; /* UTC seconds of the local day's or week's start */
	char label[40]; /* "2026-05-01" or "2026-W18" */
	int64_t n[USAGE_METRICS];
	int64_t bytes; /* of the messages sent */
};

struct usage_queue_row {
	char kind[8], state[16];
	int64_t count, oldest;
};

struct usage_report {
	struct usage_bucket *b;
	size_t n;
	int64_t storage_bytes, storage_messages;
	struct usage_queue_row *q;
	size_t nq;
};

/* period "day" (count days back from today, 1..92) or "week" (1..53). */
struct st_result usage_report(const struct admin_env *env, const char *domain,
    const char *period, int64_t count, struct usage_report *out);
void usage_report_release(struct usage_report *r);
/* The JSON-free names of the metrics, for the API. */
extern const char *const usage_metric_names[USAGE_METRICS];

#endif
