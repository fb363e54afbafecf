/*
 * The Dutch words of the reports: message states, event kinds, dates in
 * Europe/Amsterdam ("23 november 2026 om 11:45"), sizes ("1,5 MB").
 */
#ifndef ST_WORDS_H
#define ST_WORDS_H

#include <stddef.h>
#include <stdint.h>

/* The state as the front end says it ("Gelezen"). */
const char *words_state(const char *state);
/* What happened, for an event kind ("Link geopend"); unknown kinds are
 * given back as they are. */
const char *words_event(const char *kind);
/* "23 november 2026". */
void words_date(int64_t t, char *out, size_t len);
/* "23 november 2026 om 11:45". */
void words_datetime(int64_t t, char *out, size_t len);
/* "23-11-2026 11:45:07": the timeline's compact form. */
void words_stamp(int64_t t, char *out, size_t len);
/* ISO 8601 with the Amsterdam offset, for PDF metadata. */
void words_iso(int64_t t, char *out, size_t len);
/* "512 bytes", "12,3 kB", "1,5 MB", "2,0 GB" (powers of 1000). */
void words_size(int64_t bytes, char *out, size_t len);

#endif
