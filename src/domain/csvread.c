/* CSV rows for imports, on top of libcsv; see csvread.h. */
#include "util/common.h"

#include <csv.h>

#include "domain/csvread.h"

struct state {
	struct csvread_row row;
	char *fields[CSVREAD_MAX_FIELDS]; /* owned copies behind row.f */
	size_t line; /* physical line of the byte being fed */
	size_t row_line; /* where the current row began */
	int between; /* no row begun since the last one ended */
	int failed; /* a callback found a bad field */
	int stopped; /* fn returned -1 */
	const char *why;
	csvread_fn fn;
	void *arg;
};

int
csvread_utf8_ok(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n, k;
	uint32_t cp, min;

	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((p[i] & 0xe0) == 0xc0) {
			n = 1, cp = p[i] & 0x1f, min = 0x80;
		} else if ((p[i] & 0xf0) == 0xe0) {
			n = 2, cp = p[i] & 0x0f, min = 0x800;
		} else if ((p[i] & 0xf8) == 0xf0) {
			n = 3, cp = p[i] & 0x07, min = 0x10000;
		} else
			return 0;
		if (n > len - i - 1)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n + 1;
	}
	return 1;
}

static void
clear_row(struct state *st)
{
	size_t i;

	for (i = 0; i < st->row.n; i++) {
		free(st->fields[i]);
		st->fields[i] = NULL;
		st->row.f[i] = NULL;
	}
	st->row.n = 0;
}

static void
fail(struct state *st, const char *why)
{
	if (!st->failed)
		st->why = why;
	st->failed = 1;
}

/* libcsv: the end of a field. */
static void
on_field(void *data, size_t len, void *arg)
{
	struct state *st = arg;
	const char *why = NULL;
	char *copy;

	if (st->failed || st->stopped)
		return;
	if (st->row.n == CSVREAD_MAX_FIELDS)
		why = "too many fields";
	else if (len > CSVREAD_MAX_FIELD)
		why = "a field is too long";
	else if (len > 0 && memchr(data, '\0', len) != NULL)
		why = "a field holds a NUL byte";
	else if (len > 0 && !csvread_utf8_ok(data, len))
		why = "not UTF-8";
	if (why != NULL) {
		fail(st, why);
		return;
	}
	copy = xmemdup0(len > 0 ? data : "", len);
	st->fields[st->row.n] = copy;
	st->row.f[st->row.n++] = copy;
}

/* libcsv: the end of a row. */
static void
on_row(int c, void *arg)
{
	struct state *st = arg;

	(void)c;
	if (st->failed || st->stopped)
		return;
	st->row.line = st->row_line;
	if (st->fn(&st->row, st->arg) == -1)
		st->stopped = 1;
	clear_row(st);
	st->between = 1;
}

/* ';' when the first line has more of them than ',' (outside quotes). */
static unsigned char
guess_delim(const char *s, size_t len)
{
	size_t i, commas = 0, semis = 0;
	int quoted = 0;

	for (i = 0; i < len && (quoted || (s[i] != '\n' && s[i] != '\r'));
	     i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted && s[i] == ',')
			commas++;
		else if (!quoted && s[i] == ';')
			semis++;
	}
	return semis > commas ? ';' : ',';
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void *
csv_realloc(void *p, size_t n)
{
	return xreallocarray(p, n, 1);
}

static enum csvread_status
finish(struct state *st, struct csv_parser *p, size_t *line, const char **why)
{
	enum csvread_status rc = CSVREAD_OK;

	if (st->stopped)
		rc = CSVREAD_STOPPED;
	else if (st->failed || csv_error(p) != CSV_SUCCESS) {
		*line = st->row_line;
		*why = st->failed ? st->why : "a quote is out of place";
		rc = CSVREAD_BAD;
	}
	clear_row(st);
	csv_free(p);
	return rc;
}

enum csvread_status
csvread_parse(const char *data, size_t len, csvread_fn fn, void *arg,
    size_t *line, const char **why)
{
	struct csv_parser p;
	struct state st = { 0 };
	size_t i = 0, j;

	st.fn = fn;
	st.arg = arg;
	st.line = st.row_line = 1;
	st.between = 1;
	*line = 0;
	*why = NULL;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		*why = "out of memory";
		return CSVREAD_BAD;
	}
	csv_set_realloc_func(&p, csv_realloc);
	csv_set_free_func(&p, free);
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	csv_set_delim(&p, guess_delim(data + i, len - i));
	/*
	 * Fed in pieces that end at a line break, so the line count is
	 * right at every row start; between rows, blanks one by one, so
	 * the first byte of a row gives its line.
	 */
	while (i < len && !st.failed && !st.stopped) {
		if (st.between && !is_blank(data[i])) {
			st.between = 0;
			st.row_line = st.line;
		}
		j = i;
		if (!st.between)
			while (
			    j < len - 1 && data[j] != '\n' && data[j] != '\r')
				j++;
		if (csv_parse(&p, data + i, j - i + 1, on_field, on_row, &st) !=
		    j - i + 1)
			break;
		if (data[j] == '\n' ||
		    (data[j] == '\r' && (j + 1 == len || data[j + 1] != '\n')))
			st.line++;
		i = j + 1;
	}
	if (!st.failed && !st.stopped && csv_error(&p) == CSV_SUCCESS &&
	    csv_fini(&p, on_field, on_row, &st) != 0)
		fail(&st, "a quote is out of place");
	return finish(&st, &p, line, why);
}
