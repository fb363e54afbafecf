/* The overview of Beheer; see usage.h. */
#include "util/common.h"

#include "db/db.h"
#include "db/usage_db.h"
#include "domain/orgs.h"
#include "domain/usage.h"
#include "util/clock.h"
#include "util/tz.h"

const char *const usage_metric_names[USAGE_METRICS] = {
	[USAGE_MESSAGES] = "messages",
	[USAGE_OUTSIDERS] = "to_outsiders",
	[USAGE_SMS] = "sms",
	[USAGE_CODES_FAILED] = "codes_failed",
	[USAGE_LOCKS] = "locks",
	[USAGE_REQUESTS] = "requests",
	[USAGE_DROPOFFS] = "dropoffs",
};

void
usage_report_release(struct usage_report *r)
{
	free(r->b);
	free(r->q);
	memset(r, 0, sizeof(*r));
}

/* The ISO week of an Amsterdam date: year and number. */
static void
iso_week(int y, int m, int d, int *wy, int *wn)
{
	int64_t days = tz_days_from_civil(y, m, d);
	int wday = (int)((days + 3) % 7 + 7) % 7; /* 0 = Monday */
	int64_t thursday = days - wday + 3, jan1;
	int ty;
	struct tz_tm tm;

	/* The year of the week's Thursday is the week's year. */
	tz_local(thursday * 86400 + 43200, &tm);
	ty = tm.year;
	jan1 = tz_days_from_civil(ty, 1, 1);
	*wy = ty;
	*wn = (int)((thursday - jan1) / 7) + 1;
}

/* Bucket starts, oldest first: local midnights, or Mondays. */
static void
make_buckets(struct usage_report *r, int week, int64_t count)
{
	struct tz_tm tm;
	int64_t now = clock_now(), day, i;
	int wy, wn;

	tz_local(now, &tm);
	day = tz_days_from_civil(tm.year, tm.month, tm.day);
	if (week)
		day -= (tm.wday + 6) % 7; /* back to Monday */
	r->n = (size_t)count;
	r->b = xcalloc(r->n, sizeof(*r->b));
	for (i = 0; i < count; i++) {
		int64_t d = day - (count - 1 - i) * (week ? 7 : 1);
		struct usage_bucket *b = &r->b[i];
		struct tz_tm dt;

		tz_local(d * 86400 + 43200, &dt);
		b->start = tz_utc_of_local(dt.year, dt.month, dt.day, 0, 0, 0);
		if (week) {
			iso_week(dt.year, dt.month, dt.day, &wy, &wn);
			snprintf(
			    b->label, sizeof(b->label), "%04d-W%02d", wy, wn);
		} else
			snprintf(b->label, sizeof(b->label), "%04d-%02d-%02d",
			    dt.year, dt.month, dt.day);
	}
}

struct fill_state {
	struct usage_report *r;
	enum usage_metric m;
};

static void
add(int64_t t, int64_t count, int64_t sum, void *arg)
{
	struct fill_state *fs = arg;
	struct usage_report *r = fs->r;
	size_t lo = 0, hi = r->n;

	/* The last bucket that starts at or before t. */
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (r->b[mid].start <= t)
			lo = mid;
		else
			hi = mid;
	}
	if (r->n == 0 || t < r->b[lo].start)
		return;
	r->b[lo].n[fs->m] += count;
	if (fs->m == USAGE_MESSAGES)
		r->b[lo].bytes += sum;
}

static void
add_queue(
    const char *kind, const char *state, int64_t n, int64_t oldest, void *arg)
{
	struct usage_report *r = arg;
	struct usage_queue_row *q;

	r->q = xreallocarray(r->q, r->nq + 1, sizeof(*r->q));
	q = &r->q[r->nq++];
	snprintf(q->kind, sizeof(q->kind), "%s", kind);
	snprintf(q->state, sizeof(q->state), "%s", state);
	q->count = n;
	q->oldest = oldest;
}

struct st_result
usage_report(const struct admin_env *env, const char *domain,
    const char *period, int64_t count, struct usage_report *out)
{
	char dom[ORGS_DOMAIN_MAX + 1] = "";
	const char *why;
	struct fill_state fs = { out, USAGE_MESSAGES };
	struct db_conn *c;
	int week = strcmp(period, "week") == 0, rc = 0;
	int64_t to;
	unsigned m;

	memset(out, 0, sizeof(*out));
	if (!week && strcmp(period, "day") != 0)
		return st_res(ST_INVALID, "bad_field", "period: day or week");
	if (count < 1 || count > (week ? USAGE_MAX_WEEKS : USAGE_MAX_DAYS))
		return st_res(
		    ST_INVALID, "bad_field", "count: 1 to 92 days or 53 weeks");
	if (*domain != '\0' &&
	    orgs_normalise(domain, dom, sizeof(dom), &why) == -1)
		return st_res(ST_INVALID, "bad_domain", why);
	make_buckets(out, week, count);
	to = clock_now() + 1;
	c = db_get(env->db);
	for (m = 0; rc == 0 && m < USAGE_METRICS; m++) {
		fs.m = (enum usage_metric)m;
		rc = usage_db_series(
		    c, fs.m, dom, out->b[0].start, to, add, &fs);
	}
	if (rc == 0)
		rc = usage_db_storage(
		    c, dom, &out->storage_bytes, &out->storage_messages);
	if (rc == 0)
		rc = usage_db_queue(c, add_queue, out);
	db_put(c);
	if (rc != 0) {
		usage_report_release(out);
		return ST_DB_ERROR;
	}
	return ST_RESULT_OK;
}
