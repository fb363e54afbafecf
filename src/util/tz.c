/*
 * Europe/Amsterdam from the tz database, read once; see tz.h. The TZif
 * reader takes the 64-bit (v2+) block and the footer rule, and refuses
 * any count past fixed limits, so a damaged file cannot make it read out
 * of bounds or allocate: the tables are static.
 */
#include "util/common.h"

#include <pthread.h>

#include "util/tz.h"

#define TZ_FILE "/usr/share/zoneinfo/Europe/Amsterdam"
#define TZ_FALLBACK "CET-1CEST,M3.5.0,M10.5.0/3"
#define TZ_FILE_MAX 65536
#define TZ_MAX_TRANS 2000
#define TZ_MAX_TYPES 64
#define TZ_HDR 44

struct mrule {
	int month, week, wday; /* Mm.w.d */
	int secs; /* local time of day of the switch */
};

struct posix_rule {
	int std_off, dst_off; /* seconds east of UTC */
	int has_dst;
	struct mrule start, end;
};

static struct {
	int64_t at[TZ_MAX_TRANS];
	unsigned char type[TZ_MAX_TRANS];
	int n;
	int32_t utoff[TZ_MAX_TYPES];
	int ntypes;
	struct posix_rule rule;
	int has_rule;
} zone;

static pthread_once_t zone_once = PTHREAD_ONCE_INIT;

int64_t
tz_days_from_civil(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int
tz_month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (m < 1 || m > 12)
		return 0;
	return days[m - 1] + (m == 2 && leap);
}

/* --- the POSIX TZ rule (the TZif footer) --- */

static int
parse_num(const char **pp, int max)
{
	const char *p = *pp;
	int v = 0, n = 0;

	while (*p >= '0' && *p <= '9' && n < 3) {
		v = v * 10 + (*p++ - '0');
		n++;
	}
	if (n == 0 || v > max)
		return -1;
	*pp = p;
	return v;
}

/* [+-]hh[:mm[:ss]] as seconds; INT_MIN on error. */
static int
parse_hms(const char **pp, int maxh)
{
	const char *p = *pp;
	int sign = 1, h, mi = 0, s = 0;

	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	if ((h = parse_num(&p, maxh)) < 0)
		return INT_MIN;
	if (*p == ':') {
		p++;
		if ((mi = parse_num(&p, 59)) < 0)
			return INT_MIN;
		if (*p == ':') {
			p++;
			if ((s = parse_num(&p, 59)) < 0)
				return INT_MIN;
		}
	}
	*pp = p;
	return sign * (h * 3600 + mi * 60 + s);
}

static int
parse_name(const char **pp)
{
	const char *p = *pp;
	size_t n = 0;

	if (*p == '<') {
		while (*++p != '>' && *p != '\0')
			n++;
		if (*p != '>' || n < 3)
			return -1;
		*pp = p + 1;
		return 0;
	}
	while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) {
		p++;
		n++;
	}
	if (n < 3)
		return -1;
	*pp = p;
	return 0;
}

static int
parse_mrule(const char **pp, struct mrule *r)
{
	const char *p = *pp;

	if (*p++ != 'M' || (r->month = parse_num(&p, 12)) < 1 || *p++ != '.' ||
	    (r->week = parse_num(&p, 5)) < 1 || *p++ != '.' ||
	    (r->wday = parse_num(&p, 6)) < 0)
		return -1;
	r->secs = 2 * 3600;
	if (*p == '/') {
		p++;
		if ((r->secs = parse_hms(&p, 167)) == INT_MIN)
			return -1;
	}
	*pp = p;
	return 0;
}

static int
parse_rule(const char *p, struct posix_rule *r)
{
	int off;

	memset(r, 0, sizeof(*r));
	if (parse_name(&p) == -1 || (off = parse_hms(&p, 24)) == INT_MIN)
		return -1;
	r->std_off = -off;
	if (*p == '\0')
		return 0;
	if (parse_name(&p) == -1)
		return -1;
	r->dst_off = r->std_off + 3600;
	if (*p != ',' && *p != '\0') {
		if ((off = parse_hms(&p, 24)) == INT_MIN)
			return -1;
		r->dst_off = -off;
	}
	if (*p++ != ',' || parse_mrule(&p, &r->start) == -1 || *p++ != ',' ||
	    parse_mrule(&p, &r->end) == -1 || *p != '\0')
		return -1;
	r->has_dst = 1;
	return 0;
}

/* The UTC time at which rule r switches in year y, given the offset in
 * effect just before the switch. */
static int64_t
switch_at(int y, const struct mrule *r, int before_off)
{
	int first = (int)((tz_days_from_civil(y, r->month, 1) + 4) % 7);
	int mday, ndays = tz_month_days(y, r->month);

	if (first < 0)
		first += 7;
	mday = 1 + (r->wday - first + 7) % 7 + 7 * (r->week - 1);
	while (mday > ndays)
		mday -= 7;
	return tz_days_from_civil(y, r->month, mday) * 86400 + r->secs -
	    before_off;
}

static int
rule_offset(const struct posix_rule *r, int64_t t)
{
	int y, m, d;
	int64_t start, end;

	if (!r->has_dst)
		return r->std_off;
	civil_from_days(
	    (t + r->std_off) / 86400 - ((t + r->std_off) % 86400 < 0), &y, &m,
	    &d);
	start = switch_at(y, &r->start, r->std_off);
	end = switch_at(y, &r->end, r->dst_off);
	if (start < end)
		return t >= start && t < end ? r->dst_off : r->std_off;
	return t >= end && t < start ? r->std_off : r->dst_off;
}

/* --- TZif --- */

static uint64_t
be(const unsigned char *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static int
parse_tzif(const unsigned char *b, size_t len)
{
	uint64_t c[6], v1, v2, i;
	const unsigned char *q, *end;
	char footer[128];
	size_t flen;

	if (len < TZ_HDR || memcmp(b, "TZif", 4) != 0 || b[4] < '2')
		return -1;
	for (i = 0; i < 6; i++)
		c[i] = be(b + 20 + 4 * i, 4);
	/* isutcnt isstdcnt leapcnt timecnt typecnt charcnt */
	v1 = c[3] * 5 + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0];
	if (v1 > len - TZ_HDR || len - TZ_HDR - v1 < TZ_HDR)
		return -1;
	b += TZ_HDR + v1;
	len -= TZ_HDR + v1;
	if (memcmp(b, "TZif", 4) != 0)
		return -1;
	for (i = 0; i < 6; i++)
		c[i] = be(b + 20 + 4 * i, 4);
	if (c[3] > TZ_MAX_TRANS || c[4] < 1 || c[4] > TZ_MAX_TYPES)
		return -1;
	v2 = c[3] * 9 + c[4] * 6 + c[5] + c[2] * 12 + c[1] + c[0];
	if (v2 > len - TZ_HDR)
		return -1;
	q = b + TZ_HDR;
	end = b + len;
	for (i = 0; i < c[3]; i++) {
		zone.at[i] = (int64_t)be(q + 8 * i, 8);
		zone.type[i] = q[8 * c[3] + i];
		if (zone.type[i] >= c[4] ||
		    (i > 0 && zone.at[i] <= zone.at[i - 1]))
			return -1;
	}
	q += 9 * c[3];
	for (i = 0; i < c[4]; i++) {
		int32_t off = (int32_t)(uint32_t)be(q + 6 * i, 4);

		if (off < -26 * 3600 || off > 26 * 3600)
			return -1;
		zone.utoff[i] = off;
	}
	zone.n = (int)c[3];
	zone.ntypes = (int)c[4];
	/* The footer: "\n<rule>\n" right after the v2 data. */
	q = b + TZ_HDR + v2;
	if (q < end && *q == '\n') {
		const unsigned char *nl = memchr(
		    q + 1, '\n', (size_t)(end - q - 1));

		flen = nl != NULL ? (size_t)(nl - q - 1) : 0;
		if (nl != NULL && flen > 0 && flen < sizeof(footer)) {
			memcpy(footer, q + 1, flen);
			footer[flen] = '\0';
			zone.has_rule = parse_rule(footer, &zone.rule) == 0;
		}
	}
	return 0;
}

static void
zone_load(void)
{
	unsigned char *b = xmalloc(TZ_FILE_MAX);
	FILE *f = fopen(TZ_FILE, "rbe");
	size_t n = 0;

	if (f != NULL) {
		n = fread(b, 1, TZ_FILE_MAX, f);
		fclose(f);
	}
	if (n == 0 || n == TZ_FILE_MAX || parse_tzif(b, n) == -1) {
		zone.n = 0;
		zone.has_rule = 0;
	}
	free(b);
	if (!zone.has_rule)
		zone.has_rule = parse_rule(TZ_FALLBACK, &zone.rule) == 0;
}

int
tz_offset(int64_t t)
{
	int lo = 0, hi;

	pthread_once(&zone_once, zone_load);
	if (zone.n == 0 || (t >= zone.at[zone.n - 1] && zone.has_rule))
		return rule_offset(&zone.rule, t);
	if (t < zone.at[0])
		return zone.utoff[0];
	hi = zone.n - 1;
	while (lo < hi) { /* the last transition at or before t */
		int mid = lo + (hi - lo + 1) / 2;

		if (zone.at[mid] <= t)
			lo = mid;
		else
			hi = mid - 1;
	}
	return zone.utoff[zone.type[lo]];
}

void
tz_local(int64_t t, struct tz_tm *out)
{
	int off = tz_offset(t);
	int64_t l = t + off, days = l / 86400, rem = l % 86400;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	civil_from_days(days, &out->year, &out->month, &out->day);
	out->hour = (int)(rem / 3600);
	out->min = (int)(rem / 60 % 60);
	out->sec = (int)(rem % 60);
	out->wday = (int)((days + 4) % 7 + 7) % 7;
	out->utoff = off;
}

int64_t
tz_utc_of_local(int y, int m, int d, int h, int mi, int s)
{
	int64_t l = tz_days_from_civil(y, m, d) * 86400 + h * 3600 + mi * 60 +
	    s;
	int64_t t = l - tz_offset(l);

	return l - tz_offset(t);
}

const char *
tz_month_nl(int month)
{
	static const char *const months[] = { "januari", "februari", "maart",
		"april", "mei", "juni", "juli", "augustus", "september",
		"oktober", "november", "december" };

	return month >= 1 && month <= 12 ? months[month - 1] : "";
}

void
tz_format_nl(int64_t t, char *out, size_t len)
{
	struct tz_tm tm;

	tz_local(t, &tm);
	snprintf(out, len, "%d %s %d om %02d:%02d", tm.day,
	    tz_month_nl(tm.month), tm.year, tm.hour, tm.min);
}
