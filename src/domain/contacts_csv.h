/*
 * The address book as CSV (C1): import from the old service and from
 * spreadsheets, export for backups and other tools. UTF-8 with a header
 * row naming the columns (Naam, Organisatie, E-mailadres, Mobiel nummer,
 * or their English names; any order; other columns are ignored). An
 * import is all or nothing: every bad row is reported by its line and
 * then nothing is stored; rows whose e-mail address is in the address
 * book already update that contact (the columns the file has).
 */
#ifndef ST_CONTACTS_CSV_H
#define ST_CONTACTS_CSV_H

#include <stddef.h>

#include "domain/contacts.h"

struct buf;

#define CONTACTS_CSV_MAX (1u << 20) /* bytes of an import */
#define CONTACTS_IMPORT_ERRORS 50 /* bad rows reported; all are counted */

struct import_error {
	size_t line; /* 1-based line of the file the row starts on */
	const char *field; /* name, organisation, email, phone, row, file */
	const char *code; /* bad_email, duplicate_email, ... */
	const char *why;
};

struct import_report {
	size_t rows, created, updated;
	size_t nerrors; /* bad rows; the first CONTACTS_IMPORT_ERRORS below */
	struct import_error errors[CONTACTS_IMPORT_ERRORS];
};

struct import_row {
	size_t line;
	struct contact ct; /* checked and normalised; no id yet */
};

struct import_rows {
	struct import_row *v;
	size_t n, cap;
	int has_org, has_phone; /* the columns are there: absent ones keep
	                           what a contact that is updated had */
};

/*
 * Reads and checks every row of a CSV file without touching the database
 * (the fuzz target drives this). ST_OK with rows filled, or ST_INVALID
 * "bad_csv" with the errors in rep. Release rows either way.
 */
struct st_result contacts_csv_read(const char *allowed, const char *data,
    size_t len, struct import_rows *rows, struct import_report *rep);
void import_rows_release(struct import_rows *rows);

/* Reads data and stores every row in one transaction, or none. */
struct st_result contacts_import(const struct book_env *env, const char *owner,
    const char *data, size_t len, struct import_report *rep);

/* The owner's address book as CSV: BOM, header row, CRLF line ends. */
struct st_result contacts_export(
    const struct book_env *env, const char *owner, struct buf *out);

#endif
