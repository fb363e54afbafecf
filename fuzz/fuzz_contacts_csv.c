/*
 * libFuzzer: CSV import rows (domain/csvread.c on libcsv, and the
 * address book's header mapping and row checks in contacts_csv.c).
 */
#include "util/common.h"

#include "domain/contacts_csv.h"
#include "domain/csvread.h"
#include "domain/email.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	size_t last_line;
};

static int
check_row(const struct csvread_row *row, void *arg)
{
	struct seen *s = arg;
	size_t i;

	/* Rows come in order, each on a later line than the one before. */
	if (row->line <= s->last_line || row->n > CSVREAD_MAX_FIELDS)
		abort();
	s->last_line = row->line;
	for (i = 0; i < row->n; i++)
		if (!csvread_utf8_ok(row->f[i], strlen(row->f[i])))
			abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *csv = (const char *)data, *why;
	struct seen s = { 0 };
	struct import_report rep;
	struct import_rows rows;
	struct st_result r;
	size_t i, line;

	if (csvread_parse(csv, size, check_row, &s, &line, &why) ==
	        CSVREAD_BAD &&
	    (why == NULL || line == 0))
		abort();
	r = contacts_csv_read("+31, +32, +49", csv, size, &rows, &rep);
	if (r.st == ST_OK) {
		if (rep.nerrors != 0)
			abort();
		for (i = 0; i < rows.n; i++) {
			char again[EMAIL_MAX + 1];
			const char *d;
			const struct contact *ct = &rows.v[i].ct;

			if (email_normalise(ct->email, again, sizeof(again), &d,
			        &why) != 0 ||
			    strcmp(again, ct->email) != 0 ||
			    (ct->phone[0] != '\0' && ct->phone[0] != '+'))
				abort();
			if (i > 0 &&
			    strcmp(rows.v[i - 1].ct.email, ct->email) == 0)
				abort();
		}
	} else if (r.st != ST_INVALID || rep.nerrors == 0)
		abort();
	import_rows_release(&rows);
	return 0;
}
