/* The application's named counters; see metrics.h. */
#include "util/common.h"

#include <inttypes.h>
#include <stdatomic.h>

#include "util/metrics.h"

#define MAX_NAMED 32

/*
 * The application's counters, with their help text: each is exported from
 * the start, at zero, as st_<name>_total. A name not in this table still
 * counts (registered at first use) with a generic help text.
 */
static const struct {
	const char *name, *help;
} known[] = {
	{ "registrations", "Accounts registered." },
	{ "csp_reports",
	    "Content-Security-Policy violation reports received." },
	{ "mails_sent", "Mails handed to the mail transport." },
	{ "mails_failed", "Mails given up on (refused, or retried too long)." },
	{ "mails_retried", "Mail deliveries that failed and will be retried." },
	{ "sms_sent", "SMS messages handed to the SMS gateway." },
	{ "sms_failed", "SMS messages given up on." },
	{ "sms_retried", "SMS deliveries that failed and will be retried." },
	{ "outbox_other_sent", "Outbox rows of another kind sent." },
	{ "outbox_other_failed", "Outbox rows of another kind given up on." },
	{ "outbox_other_retried",
	    "Outbox rows of another kind that will be retried." },
	{ "upload_bytes", "Ciphertext bytes received in tus PATCH bodies." },
	{ "uploads_completed", "Files whose upload completed." },
	{ "download_bytes",
	    "Ciphertext bytes of downloads started (whole or ranged)." },
	{ "purge_runs", "Runs of the retention purge (R6)." },
	{ "purge_errors", "Runs of the retention purge that failed." },
	{ "purged_messages", "Messages purged (expired or revoked)." },
};

static struct {
	const char *name;
	atomic_uint_fast64_t n;
} named[MAX_NAMED];
static atomic_int nnamed = (int)ST_ARRAY_LEN(known);
/* The known counters take the first slots, so they exist from the start. */
__attribute__((constructor)) static void
metrics_init(void)
{
	size_t i;

	for (i = 0; i < ST_ARRAY_LEN(known); i++)
		named[i].name = known[i].name;
}

void
metrics_add(const char *name, uint64_t delta)
{
	int i, n = atomic_load(&nnamed);

	for (i = 0; i < n && i < MAX_NAMED; i++)
		if (named[i].name != NULL && strcmp(named[i].name, name) == 0) {
			atomic_fetch_add_explicit(
			    &named[i].n, delta, memory_order_relaxed);
			return;
		}
	/* Names are string literals registered at first use; races only
	 * cost a duplicate line, never memory safety. */
	if ((i = atomic_fetch_add(&nnamed, 1)) >= MAX_NAMED) {
		atomic_store(&nnamed, MAX_NAMED);
		return;
	}
	named[i].name = name;
	atomic_store(&named[i].n, delta);
}

void
metrics_count(const char *name)
{
	metrics_add(name, 1);
}

static const char *
help_of(const char *name)
{
	size_t i;

	for (i = 0; i < ST_ARRAY_LEN(known); i++)
		if (strcmp(known[i].name, name) == 0)
			return known[i].help;
	return NULL;
}

int
metrics_render_counters(struct buf *o)
{
	int i, n = atomic_load(&nnamed), r = 0;

	for (i = 0; i < n && i < MAX_NAMED; i++) {
		const char *name = named[i].name, *help;

		if (name == NULL)
			continue;
		help = help_of(name);
		r |= buf_printf(o,
		    "# HELP st_%s_total %s%s\n# TYPE st_%s_total counter\n"
		    "st_%s_total %" PRIuFAST64 "\n",
		    name, help != NULL ? help : "Application counter ",
		    help != NULL ? "" : name, name, name,
		    atomic_load(&named[i].n));
	}
	return r;
}
