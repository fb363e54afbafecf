/*
 * The audit log for administrators (O4, O6: the Audit page of Beheer):
 * filtered, paged, and exported as CSV for Dutch Excel (';' between
 * fields, a UTF-8 byte order mark, CRLF; a cell that a spreadsheet would
 * run as a formula, starting with = + - @ or a tab or CR, gets a leading
 * apostrophe). The log holds no message contents or metadata: its rows
 * name accounts, domains, request and mailbox ids.
 */
#ifndef ST_AUDITLOG_H
#define ST_AUDITLOG_H

#include <stddef.h>
#include <stdint.h>

#include "domain/admin.h"
#include "util/buf.h"

#define AUDITLOG_PAGE 50
#define AUDITLOG_EXPORT_MAX 100000 /* rows in one CSV */

/* The filters as the page and the command line give them. */
struct auditlog_query {
	const char *actor; /* "" any */
	const char *kind; /* "" any; ending in "." a group */
	const char *domain; /* "" any */
	const char *from, *to; /* "" or YYYY-MM-DD (Amsterdam), inclusive */
	const char *cursor; /* "" or the next_cursor of the previous page */
};

struct auditlog_entry {
	char id[24];
	int64_t at_us;
	char *actor, *ip, *kind, *subject, *detail; /* NULL when absent */
};

struct auditlog_page {
	struct auditlog_entry *e;
	size_t n;
	char next_cursor[64]; /* "" on the last page */
};

struct st_result auditlog_page(const struct admin_env *env,
    const struct auditlog_query *q, struct auditlog_page *out);
void auditlog_page_release(struct auditlog_page *p);

/* The whole filtered log (cursor ignored) as CSV into out; lang "nl" or
 * "en" names the columns. */
struct st_result auditlog_csv(const struct admin_env *env,
    const struct auditlog_query *q, const char *lang, struct buf *out);

/* Appends one CSV cell (quoted when needed, formulas neutralised). */
int auditlog_csv_cell(struct buf *b, const char *s);

/* The kinds the log holds, for the filter; a JSON-free list of strings. */
struct st_result auditlog_kinds(
    const struct admin_env *env, char ***kinds, size_t *n);

#endif
