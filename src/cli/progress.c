/* Progress on stderr; see progress.h. */
#include "util/common.h"

#include <time.h>

#include "cli/progress.h"

#define TTY_EVERY 0.2 /* seconds between redraws */
#define LOG_EVERY 5.0 /* seconds between plain lines */
#define BAR 24

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const char *
progress_size(uint64_t n, char *out, size_t len)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)n;
	size_t u = 0;

	while (v >= 1024 && u + 1 < ST_ARRAY_LEN(unit)) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(out, len, "%" PRIu64 " B", n);
	else
		snprintf(out, len, "%.1f %s", v, unit[u]);
	return out;
}

static void
duration(double s, char *out, size_t len)
{
	long t = s < 0 ? 0 : (long)(s + 0.5);

	if (t >= 3600)
		snprintf(
		    out, len, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(out, len, "%ld:%02ld", t / 60, t % 60);
}

void
progress_init(
    struct progress *p, int on, int tty, const char *verb, uint64_t total)
{
	memset(p, 0, sizeof(*p));
	p->on = on;
	p->tty = tty;
	p->verb = verb;
	p->total = total;
	p->start = p->last = now();
}

void
progress_label(struct progress *p, const char *name)
{
	snprintf(p->label, sizeof(p->label), "%s", name);
}

static void
draw(struct progress *p, double t, int final)
{
	char done[32], total[32], speed[32], left[32] = "--:--";
	double el = t - p->start, rate = 0;
	unsigned pct = p->total ? (unsigned)(p->done * 100 / p->total) : 100;
	uint64_t moved = p->done > p->base ? p->done - p->base : 0;

	if (el > 0.05)
		rate = (double)moved / el;
	if (rate > 0)
		duration(
		    (double)(p->total - p->done) / rate, left, sizeof(left));
	progress_size(p->done, done, sizeof(done));
	progress_size(p->total, total, sizeof(total));
	progress_size((uint64_t)rate, speed, sizeof(speed));
	if (p->tty) {
		char bar[BAR + 1];
		unsigned i, fill = pct * BAR / 100;

		for (i = 0; i < BAR; i++)
			bar[i] = i < fill ? '#' : '-';
		bar[BAR] = '\0';
		fprintf(stderr, "\r\033[K[%s] %3u%% %s/%s %s/s %s left %s", bar,
		    pct, done, total, speed, left, p->label);
	} else {
		fprintf(stderr, "%s %s: %u%% (%s of %s), %s/s, %s left\n",
		    p->verb, p->label, pct, done, total, speed,
		    final ? "0:00" : left);
	}
	fflush(stderr);
}

void
progress_set(struct progress *p, uint64_t done)
{
	double t;

	p->done = done > p->total ? p->total : done;
	if (!p->on)
		return;
	t = now();
	if (t - p->last < (p->tty ? TTY_EVERY : LOG_EVERY))
		return;
	p->last = t;
	draw(p, t, 0);
}

void
progress_skip(struct progress *p, uint64_t bytes)
{
	p->base += bytes;
	p->done += bytes;
}

void
progress_end(struct progress *p)
{
	if (!p->on)
		return;
	p->done = p->total;
	draw(p, now(), 1);
	if (p->tty)
		fputc('\n', stderr);
}
