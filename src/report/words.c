/* Dutch words, dates and sizes for the reports; see words.h. */
#include "util/common.h"

#include "report/words.h"
#include "util/tz.h"

struct word {
	const char *key, *nl;
};

static const struct word states[] = {
	{ "uploading", "Bezig met versturen" },
	{ "sent", "Verstuurd" },
	{ "opened", "Gelezen" },
	{ "downloaded", "Gedownload" },
	{ "expired", "Verlopen" },
	{ "aborted", "Afgebroken" },
	{ "revoked", "Ingetrokken" },
};

static const struct word events[] = {
	{ "created", "Bericht aangemaakt" },
	{ "file.uploaded", "Document geüpload" },
	{ "sent", "Bericht verstuurd" },
	{ "mail.sent", "E-mail afgegeven aan de mailserver" },
	{ "mail.failed", "E-mail kon niet worden afgeleverd" },
	{ "mail.queued",
	    "E-mail in de wachtrij: de mailserver nam hem nog niet aan, hij "
	    "wordt opnieuw aangeboden" },
	{ "sms.sent", "Sms met code verstuurd" },
	{ "sms.failed", "Sms kon niet worden verstuurd" },
	{ "sms.queued",
	    "Sms in de wachtrij: de sms-dienst nam hem nog niet aan, hij "
	    "wordt opnieuw aangeboden" },
	{ "link_opened", "Link geopend" },
	{ "code_sent", "Code aangevraagd" },
	{ "code_wrong", "Onjuiste code ingevoerd" },
	{ "code_right", "Juiste code ingevoerd" },
	{ "code_unlocked", "Code-invoer vrijgegeven door de afzender" },
	{ "opened", "Bericht geopend" },
	{ "downloaded", "Document gedownload" },
	{ "expired", "Bericht verlopen, documenten verwijderd" },
	{ "revoked", "Bericht ingetrokken, documenten verwijderd" },
	{ "aborted", "Versturen afgebroken" },
};

static const char *
lookup(const struct word *w, size_t n, const char *key, const char *dflt)
{
	size_t i;

	for (i = 0; key != NULL && i < n; i++)
		if (strcmp(w[i].key, key) == 0)
			return w[i].nl;
	return dflt;
}

const char *
words_state(const char *state)
{
	return lookup(states, ST_ARRAY_LEN(states), state, "Onbekend");
}

const char *
words_event(const char *kind)
{
	return lookup(
	    events, ST_ARRAY_LEN(events), kind, kind != NULL ? kind : "");
}

void
words_date(int64_t t, char *out, size_t len)
{
	struct tz_tm tm;

	tz_local(t, &tm);
	snprintf(out, len, "%d %s %d", tm.day, tz_month_nl(tm.month), tm.year);
}

void
words_datetime(int64_t t, char *out, size_t len)
{
	tz_format_nl(t, out, len);
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
words_size(int64_t bytes, char *out, size_t len)
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
	snprintf(out, len, "%" PRId64 ",%" PRId64 " %s", tenths / 10,
	    tenths % 10, units[u]);
}
