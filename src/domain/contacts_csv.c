/* The address book as CSV; see contacts_csv.h. */
#include "util/common.h"

#include "db/db.h"
#include "domain/contacts_csv.h"
#include "domain/csvread.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/config.h"

enum { COL_NAME, COL_ORG, COL_EMAIL, COL_PHONE, NCOLS };

/* Header names, lower-cased without spaces, dashes, dots or underscores. */
static const struct {
	const char *name;
	int col;
} headers[] = {
	{ "naam", COL_NAME },
	{ "name", COL_NAME },
	{ "volledigenaam", COL_NAME },
	{ "fullname", COL_NAME },
	{ "organisatie", COL_ORG },
	{ "organisation", COL_ORG },
	{ "organization", COL_ORG },
	{ "bedrijf", COL_ORG },
	{ "company", COL_ORG },
	{ "emailadres", COL_EMAIL },
	{ "email", COL_EMAIL },
	{ "emailaddress", COL_EMAIL },
	{ "mobielnummer", COL_PHONE },
	{ "mobiel", COL_PHONE },
	{ "mobile", COL_PHONE },
	{ "mobilenumber", COL_PHONE },
	{ "mobilephone", COL_PHONE },
	{ "telefoon", COL_PHONE },
	{ "telefoonnummer", COL_PHONE },
	{ "phone", COL_PHONE },
};

static const char *const field_of[] = { "name", "organisation", "email",
	"phone" };

struct reader {
	const char *allowed;
	int have_header;
	int col[NCOLS]; /* field index of each column, -1 absent */
	size_t nheader;
	struct import_rows *rows;
	struct import_report *rep;
};

static void
add_error(struct import_report *rep, size_t line, const char *field,
    const char *code, const char *why)
{
	if (rep->nerrors < CONTACTS_IMPORT_ERRORS) {
		struct import_error *e = &rep->errors[rep->nerrors];

		e->line = line;
		e->field = field;
		e->code = code;
		e->why = why;
	}
	rep->nerrors++;
}

static int
header_col(const char *h)
{
	char key[32];
	size_t n = 0, i;

	for (; *h != '\0'; h++) {
		char ch = *h;

		if (ch == ' ' || ch == '-' || ch == '_' || ch == '.')
			continue;
		if (n == sizeof(key) - 1)
			return -1;
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		key[n++] = ch;
	}
	key[n] = '\0';
	for (i = 0; i < ST_ARRAY_LEN(headers); i++)
		if (strcmp(headers[i].name, key) == 0)
			return headers[i].col;
	return -1;
}

static int
read_header(struct reader *r, const struct csvread_row *row)
{
	size_t i;
	int k;

	for (k = 0; k < NCOLS; k++)
		r->col[k] = -1;
	for (i = 0; i < row->n; i++) {
		if ((k = header_col(row->f[i])) < 0)
			continue;
		if (r->col[k] != -1) {
			add_error(r->rep, row->line, "file", "bad_header",
			    "a column is named twice");
			return -1;
		}
		r->col[k] = (int)i;
	}
	if (r->col[COL_NAME] == -1 || r->col[COL_EMAIL] == -1) {
		add_error(r->rep, row->line, "file", "bad_header",
		    "the first line names the columns: Naam, Organisatie, "
		    "E-mailadres, Mobiel nummer");
		return -1;
	}
	r->nheader = row->n;
	r->have_header = 1;
	r->rows->has_org = r->col[COL_ORG] != -1;
	r->rows->has_phone = r->col[COL_PHONE] != -1;
	return 0;
}

/* The field of column k, trimmed, without the "'" an export put before
 * a leading = + - @ (spreadsheet formula guard); caller frees. */
static char *
field(const struct reader *r, const struct csvread_row *row, int k)
{
	const char *s;
	size_t n;

	if (r->col[k] < 0 || (size_t)r->col[k] >= row->n)
		return xstrdup("");
	s = row->f[r->col[k]];
	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n > 1 && s[0] == '\'' && strchr("=+-@", s[1]) != NULL)
		s++, n--;
	return xstrndup(s, n);
}

static int
extra_fields(const struct reader *r, const struct csvread_row *row)
{
	size_t i;

	for (i = r->nheader; i < row->n; i++)
		if (row->f[i][0] != '\0')
			return 1;
	return 0;
}

static void
check_row(struct reader *r, const struct csvread_row *row)
{
	char *v[NCOLS];
	struct contact_in in;
	struct st_result res;
	struct import_row *ir;
	int k;

	for (k = 0; k < NCOLS; k++)
		v[k] = field(r, row, k);
	in.name = v[COL_NAME];
	in.organisation = v[COL_ORG];
	in.email = v[COL_EMAIL];
	in.phone = v[COL_PHONE];
	if (r->rows->n == r->rows->cap) {
		r->rows->cap = r->rows->cap ? r->rows->cap * 2 : 64;
		r->rows->v = xreallocarray(
		    r->rows->v, r->rows->cap, sizeof(*r->rows->v));
	}
	ir = &r->rows->v[r->rows->n];
	res = contacts_check(r->allowed, &in, &ir->ct);
	if (res.st == ST_OK) {
		ir->line = row->line;
		r->rows->n++;
	} else {
		k = strcmp(res.code, "bad_name") == 0         ? COL_NAME :
		    strcmp(res.code, "bad_organisation") == 0 ? COL_ORG :
		    strcmp(res.code, "bad_email") == 0        ? COL_EMAIL :
		                                                COL_PHONE;
		add_error(r->rep, row->line, field_of[k], res.code, res.why);
	}
	for (k = 0; k < NCOLS; k++)
		free(v[k]);
}

static int
on_row(const struct csvread_row *row, void *arg)
{
	struct reader *r = arg;

	if (!r->have_header)
		return read_header(r, row);
	if (r->rep->rows == CONTACTS_MAX) {
		add_error(r->rep, row->line, "file", "too_many_rows",
		    "at most 5000 contacts in one file");
		return -1;
	}
	r->rep->rows++;
	if (extra_fields(r, row)) {
		add_error(r->rep, row->line, "row", "too_many_fields",
		    "more fields than the header row has columns");
		return 0;
	}
	check_row(r, row);
	return 0;
}

static int
by_email(const void *a, const void *b)
{
	const struct import_row *x = a, *y = b;
	int d = strcmp(x->ct.email, y->ct.email);

	return d != 0 ? d : (x->line > y->line) - (x->line < y->line);
}

static int
by_line(const void *a, const void *b)
{
	const struct import_error *x = a, *y = b;

	return (x->line > y->line) - (x->line < y->line);
}

/* A second row with an address already in the file is an error. */
static void
find_duplicates(struct import_rows *rows, struct import_report *rep)
{
	size_t i;

	if (rows->n < 2)
		return;
	qsort(rows->v, rows->n, sizeof(*rows->v), by_email);
	for (i = 1; i < rows->n; i++)
		if (strcmp(rows->v[i].ct.email, rows->v[i - 1].ct.email) == 0)
			add_error(rep, rows->v[i].line, "email",
			    "duplicate_email",
			    "this e-mail address is on an earlier line too");
}

void
import_rows_release(struct import_rows *rows)
{
	size_t i;

	for (i = 0; i < rows->n; i++)
		contact_release(&rows->v[i].ct);
	free(rows->v);
	memset(rows, 0, sizeof(*rows));
}

struct st_result
contacts_csv_read(const char *allowed, const char *data, size_t len,
    struct import_rows *rows, struct import_report *rep)
{
	struct reader r = { 0 };
	enum csvread_status st;
	const char *why;
	size_t line;

	memset(rows, 0, sizeof(*rows));
	memset(rep, 0, sizeof(*rep));
	r.allowed = allowed;
	r.rows = rows;
	r.rep = rep;
	if (len > CONTACTS_CSV_MAX)
		add_error(rep, 0, "file", "too_large", "the file is too large");
	else if ((st = csvread_parse(data, len, on_row, &r, &line, &why)) ==
	    CSVREAD_BAD)
		add_error(rep, line, "row", "bad_csv_row", why);
	else if (st == CSVREAD_OK && !r.have_header)
		add_error(
		    rep, 1, "file", "empty", "the file has no header row");
	find_duplicates(rows, rep);
	if (rep->nerrors == 0)
		return ST_RESULT_OK;
	qsort(rep->errors,
	    rep->nerrors < CONTACTS_IMPORT_ERRORS ? rep->nerrors :
	                                            CONTACTS_IMPORT_ERRORS,
	    sizeof(rep->errors[0]), by_line);
	return st_res(ST_INVALID, "bad_csv", "the file has bad rows");
}

static struct st_result
db_fail(enum db_status st)
{
	return st == DB_BUSY ?
	    st_res_after(ST_BUSY, 1, "busy", "The server is busy; try again") :
	    st_res(ST_ERROR, "internal", "database");
}

/* Updates the contact ct->id; columns the file lacks keep their value. */
static enum db_status
update_row(struct db_conn *c, const char *owner, const struct import_rows *rows,
    struct contact *ct)
{
	struct contact old;
	enum db_status st;
	int found;

	if (contacts_db_get(c, owner, ct->id, &old) != 1)
		return DB_ERROR;
	if (!rows->has_org) {
		free(ct->organisation);
		ct->organisation = old.organisation;
		old.organisation = NULL;
	}
	if (!rows->has_phone) {
		free(ct->phone);
		ct->phone = old.phone;
		old.phone = NULL;
	}
	contact_release(&old);
	st = contacts_db_update(c, owner, ct, &found);
	return st == DB_OK && !found ? DB_ERROR : st;
}

/* Inside the transaction: update known addresses, insert the rest. */
static struct st_result
store_rows(struct db_conn *c, const char *owner, struct import_rows *rows,
    struct import_report *rep)
{
	int64_t have, now = clock_now();
	enum db_status st;
	size_t i;

	if ((have = contacts_db_count(c, owner)) < 0)
		return db_fail(DB_ERROR);
	for (i = 0; i < rows->n; i++) {
		struct contact *ct = &rows->v[i].ct;

		ct->created_at = ct->updated_at = now;
		switch (contacts_db_find_email(c, owner, ct->email, ct->id)) {
		case 1:
			st = update_row(c, owner, rows, ct);
			rep->updated++;
			break;
		case 0:
			if (have >= CONTACTS_MAX)
				return st_res(ST_INVALID, "too_many_contacts",
				    "the address book would be too full");
			rand_id(ct->id);
			st = contacts_db_insert(c, owner, ct);
			have++;
			rep->created++;
			break;
		default:
			st = DB_ERROR;
		}
		if (st != DB_OK)
			return db_fail(st);
	}
	return ST_RESULT_OK;
}

struct st_result
contacts_import(const struct book_env *env, const char *owner, const char *data,
    size_t len, struct import_report *rep)
{
	struct import_rows rows;
	struct st_result r;
	struct db_conn *c;
	enum db_status st;

	r = contacts_csv_read(
	    env->cfg->sms_allowed_prefixes, data, len, &rows, rep);
	if (r.st != ST_OK) {
		import_rows_release(&rows);
		return r;
	}
	c = db_get(env->db);
	if ((st = db_begin(c)) != DB_OK)
		r = db_fail(st);
	else if ((r = store_rows(c, owner, &rows, rep)).st != ST_OK)
		db_rollback(c);
	else if ((st = db_commit(c)) != DB_OK) {
		db_rollback(c);
		r = db_fail(st);
	}
	db_put(c);
	if (r.st != ST_OK)
		rep->created = rep->updated = 0;
	import_rows_release(&rows);
	return r;
}

/* One field, quoted, with "'" before a leading = + - @ tab or CR so a
 * spreadsheet does not run it as a formula. */
static void
put_field(struct buf *b, const char *s, int guard, int last)
{
	buf_addc(b, '"');
	if (guard && *s != '\0' && strchr("=+-@\t\r", *s) != NULL)
		buf_addc(b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			buf_addc(b, '"');
		buf_addc(b, *s);
	}
	buf_adds(b, last ? "\"\r\n" : "\",");
}

static void
put_contact(const struct contact *ct, void *arg)
{
	struct buf *b = arg;

	put_field(b, ct->name, 1, 0);
	put_field(b, ct->organisation, 1, 0);
	put_field(b, ct->email, 1, 0);
	/* E.164: '+' and digits, harmless in a spreadsheet. */
	put_field(b, ct->phone, 0, 1);
}

struct st_result
contacts_export(const struct book_env *env, const char *owner, struct buf *out)
{
	struct db_conn *c;
	int64_t total;
	int rc;

	buf_adds(out,
	    "\xef\xbb\xbf"
	    "Naam,Organisatie,E-mailadres,Mobiel nummer\r\n");
	c = db_get(env->db);
	rc = contacts_db_list(c, owner, "", CONTACT_BY_NAME, 0, CONTACTS_MAX, 0,
	    put_contact, out, &total);
	db_put(c);
	return rc == 0 ? ST_RESULT_OK : db_fail(DB_ERROR);
}
