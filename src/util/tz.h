/*
 * Local time in Europe/Amsterdam without touching the process's TZ: the
 * zone is read once from the tz database (TZif v2+, with its POSIX rule
 * for times after the last transition) and then only looked up, so any
 * thread may call these. Without a readable zone file the EU rule
 * "CET-1CEST,M3.5.0,M10.5.0/3" is used.
 */
#ifndef ST_TZ_H
#define ST_TZ_H

#include <stddef.h>
#include <stdint.h>

/* A broken-down local time. */
struct tz_tm {
	int year, month, day; /* month 1-12 */
	int hour, min, sec;
	int wday; /* 0 = Sunday */
	int utoff; /* seconds east of UTC in effect */
};

/* Seconds east of UTC in Amsterdam at UTC time t. */
int tz_offset(int64_t t);
/* The Amsterdam wall-clock time at UTC time t. */
void tz_local(int64_t t, struct tz_tm *out);
/*
 * The UTC time of the Amsterdam wall-clock time y-m-d h:mi:s (a time that
 * does not exist or exists twice around a switch resolves to one of the
 * two offsets).
 */
int64_t tz_utc_of_local(int y, int m, int d, int h, int mi, int s);
/* Days since 1970-01-01 of the proleptic Gregorian date y-m-d. */
int64_t tz_days_from_civil(int y, int m, int d);
/* Days in month m of year y. */
int tz_month_days(int y, int m);

/* "januari" ... "december" for month 1-12 ("" otherwise). */
const char *tz_month_nl(int month);
/*
 * The Amsterdam time at UTC time t as the pages write it (nl-NL, date long,
 * time short): "11 december 2026 om 21:18". For every mail and SMS.
 */
void tz_format_nl(int64_t t, char *out, size_t len);

#endif
