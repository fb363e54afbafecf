/*
 * The words of the reports, in lang ("nl" or "en"; NULL is Dutch): message
 * states and event kinds from the message catalogue (util/i18n.h: the
 * pages' own words, issue 25 item 7), dates in Europe/Amsterdam ("23
 * november 2026 om 11:45", "23 November 2026 at 11:45"), sizes ("1,5 MB",
 * "1.5 MB").
 */
#ifndef ST_WORDS_H
#define ST_WORDS_H

#include <stddef.h>
#include <stdint.h>

/* The state as the front end says it ("Gedownload"). */
const char *words_state(const char *lang, const char *state);
/* What happened, for an event kind ("Link geopend"); unknown kinds are
 * given back as they are. */
const char *words_event(const char *lang, const char *kind);
/* "23 november 2026". */
void words_date(const char *lang, int64_t t, char *out, size_t len);
/* "23 november 2026 om 11:45". */
void words_datetime(const char *lang, int64_t t, char *out, size_t len);
/* "23-11-2026 11:45:07": the timeline's compact form (both languages). */
void words_stamp(int64_t t, char *out, size_t len);
/* ISO 8601 with the Amsterdam offset, for PDF metadata. */
void words_iso(int64_t t, char *out, size_t len);
/* "512 bytes", "12,3 kB", "1,5 MB", "2,0 GB" (powers of 1000). */
void words_size(const char *lang, int64_t bytes, char *out, size_t len);

#endif
