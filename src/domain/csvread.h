/*
 * Reading CSV files that people make with spreadsheets and other services
 * (the address book import, C1). libcsv does the RFC 4180 work: quoted
 * fields holding separators, line breaks and doubled quotes; this module
 * adds what an import needs around it: a UTF-8 byte-order mark skipped,
 * ';' as the separator when the first line has more ';' than ',' (Dutch
 * spreadsheet locales), LF, CRLF or CR line ends, blank lines skipped,
 * strict quoting, UTF-8 checked, limits on fields, and the physical line
 * each row starts on, so errors can name it.
 */
#ifndef ST_CSVREAD_H
#define ST_CSVREAD_H

#include <stddef.h>

#define CSVREAD_MAX_FIELDS 32
#define CSVREAD_MAX_FIELD 4096 /* bytes */

struct csvread_row {
	size_t line; /* 1-based physical line the row starts on */
	size_t n; /* fields in f */
	const char *f[CSVREAD_MAX_FIELDS]; /* NUL-terminated UTF-8, no NUL */
};

/* Called for each row; the row is valid during the call only. 0 goes on,
 * -1 stops the parse. */
typedef int (*csvread_fn)(const struct csvread_row *row, void *arg);

enum csvread_status {
	CSVREAD_OK, /* every row was passed to fn */
	CSVREAD_STOPPED, /* fn returned -1 */
	CSVREAD_BAD /* a malformed row: *line and *why say where and what */
};

enum csvread_status csvread_parse(const char *data, size_t len, csvread_fn fn,
    void *arg, size_t *line, const char **why);

/* 1 when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
int csvread_utf8_ok(const char *s, size_t len);

#endif
