/* The reports' words, dates and sizes, in Dutch or English; see words.h. */
#include "util/common.h"

#include "report/words.h"
#include "util/i18n.h"
#include "util/tz.h"

static int
english(const char *lang)
{
	return strcmp(i18n_lang(lang), "en") == 0;
}

const char *
words_state(const char *lang, const char *state)
{
	char key[64];
	const char *s;

	/* The one vocabulary of statuses (issue 25 item 7): the catalogue's
	 * message.state_<state>, as the pages show it. */
	if (state == NULL ||
	    (size_t)snprintf(key, sizeof(key), "message.state_%s", state) >=
	        sizeof(key) ||
	    (s = i18n_get(lang, key)) == NULL)
		return i18n_text(lang, "message.state_unknown");
	return s;
}

const char *
words_event(const char *lang, const char *kind)
{
	char key[96];
	const char *s;
	size_t i, n;

	if (kind == NULL)
		return "";
	n = (size_t)snprintf(key, sizeof(key), "report.event_%s", kind);
	if (n >= sizeof(key))
		return kind;
	for (i = strlen("report.event_"); i < n; i++)
		if (key[i] == '.')
			key[i] = '_';
	s = i18n_get(lang, key);
	return s != NULL ? s : kind;
}

void
words_date(const char *lang, int64_t t, char *out, size_t len)
{
	i18n_date(lang, t, out, len);
}

void
words_datetime(const char *lang, int64_t t, char *out, size_t len)
{
	i18n_datetime(lang, t, out, len);
}

void
words_stamp(int64_t t, char *out, size_t len)
{
	struct tz_tm tm;

	tz_local(t, &tm);
	snprintf(out, len, "%02d-%02d-%04d %02d:%02d:%02d", tm.day, tm.month,
	    tm.year, tm.hour, tm.min, tm.sec);
}

void
words_iso(int64_t t, char *out, size_t len)
{
	struct tz_tm tm;
	int off;

	tz_local(t, &tm);
	off = tm.utoff < 0 ? -tm.utoff : tm.utoff;
	snprintf(out, len, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", tm.year,
	    tm.month, tm.day, tm.hour, tm.min, tm.sec, tm.utoff < 0 ? '-' : '+',
	    off / 3600, off / 60 % 60);
}

void
words_size(const char *lang, int64_t bytes, char *out, size_t len)
{
	static const char *const units[] = { "kB", "MB", "GB", "TB" };
	int64_t tenths;
	size_t u = 0;

	if (bytes < 1000) {
		snprintf(out, len, "%" PRId64 " bytes", bytes < 0 ? 0 : bytes);
		return;
	}
	/* Tenths of the unit, rounded half up, without floating point. */
	tenths = (bytes + 50) / 100;
	while (tenths >= 10000 && u + 1 < ST_ARRAY_LEN(units)) {
		tenths = (tenths + 500) / 1000;
		u++;
	}
	snprintf(out, len, "%" PRId64 "%c%" PRId64 " %s", tenths / 10,
	    english(lang) ? '.' : ',', tenths % 10, units[u]);
}
