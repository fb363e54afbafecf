/* The audit log for administrators; see auditlog.h. */
#include "util/common.h"

#include "db/auditlog_db.h"
#include "db/db.h"
#include "domain/auditlog.h"
#include "domain/orgs.h"
#include "util/num.h"
#include "util/rand.h"
#include "util/tz.h"

#define FIELD_MAX 254

static const struct st_result bad = { ST_INVALID, "bad_field", "filter", 0 };

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void
auditlog_page_release(struct auditlog_page *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->e[i].actor);
		free(p->e[i].ip);
		free(p->e[i].kind);
		free(p->e[i].subject);
		free(p->e[i].detail);
	}
	free(p->e);
	memset(p, 0, sizeof(*p));
}

/* n digits at s as a number, or -1. */
static int
digits(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* "YYYY-MM-DD" as the UTC microsecond of that Amsterdam midnight (of the
 * next one when end). */
static int
day_us(const char *s, int end, int64_t *out)
{
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	y = digits(s, 4);
	m = digits(s + 5, 2);
	d = digits(s + 8, 2);
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > tz_month_days(y, m))
		return -1;
	*out = end ? tz_utc_of_local(y, m, d, 23, 59, 59) + 1 :
	             tz_utc_of_local(y, m, d, 0, 0, 0);
	*out *= 1000000;
	return 0;
}

static int
text_ok(const char *s, const char *allowed)
{
	if (strlen(s) > FIELD_MAX)
		return 0;
	for (; *s != '\0'; s++)
		if (strchr(allowed, *s) == NULL &&
		    !((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
			return 0;
	return 1;
}

/* Checks the query and fills the filter; cursor parts into id. */
static int
to_filter(
    const struct auditlog_query *q, struct auditlog_filter *f, char id[24])
{
	uint64_t before;
	char num[24];
	size_t n;

	memset(f, 0, sizeof(*f));
	/* Addresses are lower case as stored; kinds and domains too. */
	if (!text_ok(q->actor, "@.-_+") || !text_ok(q->kind, "._-") ||
	    !text_ok(q->domain, ".-"))
		return -1;
	f->actor = q->actor;
	f->kind = q->kind;
	f->domain = q->domain;
	f->from_us = 0;
	f->to_us = INT64_MAX;
	if ((q->from[0] && day_us(q->from, 0, &f->from_us) == -1) ||
	    (q->to[0] && day_us(q->to, 1, &f->to_us) == -1))
		return -1;
	f->before_id = "";
	id[0] = '\0';
	if (q->cursor[0] != '\0') {
		/* "<at_us>.<id>" */
		n = strcspn(q->cursor, ".");
		if (n == 0 || n >= sizeof(num) || q->cursor[n] != '.' ||
		    strlen(q->cursor + n + 1) != RAND_ID_LEN ||
		    !rand_id_valid(q->cursor + n + 1))
			return -1;
		snprintf(num, sizeof(num), "%.*s", (int)n, q->cursor);
		if (num_parse_u64(num, 0, INT64_MAX, &before) == -1)
			return -1;
		f->before_us = (int64_t)before;
		snprintf(id, 24, "%s", q->cursor + n + 1);
		f->before_id = id;
	}
	return 0;
}

static void
add_entry(const struct auditlog_row *r, void *arg)
{
	struct auditlog_page *p = arg;
	struct auditlog_entry *e;

	p->e = xreallocarray(p->e, p->n + 1, sizeof(*p->e));
	e = &p->e[p->n++];
	snprintf(e->id, sizeof(e->id), "%s", r->id);
	e->at_us = r->at_us;
	e->actor = dup_or_null(r->actor);
	e->ip = dup_or_null(r->ip);
	e->kind = dup_or_null(r->kind);
	e->subject = dup_or_null(r->subject);
	e->detail = dup_or_null(r->detail);
}

struct st_result
auditlog_page(const struct admin_env *env, const struct auditlog_query *q,
    struct auditlog_page *out)
{
	struct auditlog_filter f;
	struct db_conn *c;
	char id[24];
	int rc;

	memset(out, 0, sizeof(*out));
	if (to_filter(q, &f, id) == -1)
		return bad;
	/* One more than a page tells whether there is a next one. */
	f.limit = AUDITLOG_PAGE + 1;
	c = db_get(env->db);
	rc = auditlog_db_query(c, &f, add_entry, out);
	db_put(c);
	if (rc == -1) {
		auditlog_page_release(out);
		return ST_DB_ERROR;
	}
	if (out->n > AUDITLOG_PAGE) {
		struct auditlog_entry *last = &out->e[AUDITLOG_PAGE - 1];

		snprintf(out->next_cursor, sizeof(out->next_cursor),
		    "%" PRId64 ".%s", last->at_us, last->id);
		while (out->n > AUDITLOG_PAGE) {
			struct auditlog_entry *x = &out->e[--out->n];

			free(x->actor);
			free(x->ip);
			free(x->kind);
			free(x->subject);
			free(x->detail);
		}
	}
	return ST_RESULT_OK;
}

int
auditlog_csv_cell(struct buf *b, const char *s)
{
	int quote, rc = 0;

	if (s == NULL)
		s = "";
	quote = strpbrk(s, ";\"\r\n") != NULL;
	if (quote)
		rc |= buf_addc(b, '"');
	/* A formula in a cell runs in Excel (CSV injection): = + - @, and
	 * tab or CR, which some spreadsheets skip before one. */
	if (strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0')
		rc |= buf_addc(b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			rc |= buf_addc(b, '"');
		rc |= buf_addc(b, *s);
	}
	if (quote)
		rc |= buf_addc(b, '"');
	return rc == 0 ? 0 : -1;
}

struct csv_state {
	struct buf *b;
	int failed;
	size_t rows;
};

static void
csv_row(const struct auditlog_row *r, void *arg)
{
	struct csv_state *cs = arg;
	struct tz_tm tm;
	char when[32];

	tz_local(r->at_us / 1000000, &tm);
	snprintf(when, sizeof(when), "%04d-%02d-%02d %02d:%02d:%02d", tm.year,
	    tm.month, tm.day, tm.hour, tm.min, tm.sec);
	if (auditlog_csv_cell(cs->b, when) == -1 ||
	    buf_addc(cs->b, ';') == -1 ||
	    auditlog_csv_cell(cs->b, r->actor) == -1 ||
	    buf_addc(cs->b, ';') == -1 ||
	    auditlog_csv_cell(cs->b, r->ip) == -1 ||
	    buf_addc(cs->b, ';') == -1 ||
	    auditlog_csv_cell(cs->b, r->kind) == -1 ||
	    buf_addc(cs->b, ';') == -1 ||
	    auditlog_csv_cell(cs->b, r->subject) == -1 ||
	    buf_addc(cs->b, ';') == -1 ||
	    auditlog_csv_cell(cs->b, r->detail) == -1 ||
	    buf_adds(cs->b, "\r\n") == -1)
		cs->failed = 1;
	cs->rows++;
}

struct st_result
auditlog_csv(const struct admin_env *env, const struct auditlog_query *q,
    const char *lang, struct buf *out)
{
	static const char *const head_nl =
	    "Tijdstip;Door;IP-adres;Actie;Onderwerp;Details\r\n";
	static const char *const head_en =
	    "Time;Actor;IP address;Action;Subject;Details\r\n";
	struct auditlog_query all = *q;
	struct auditlog_filter f;
	struct csv_state cs = { out, 0, 0 };
	struct db_conn *c;
	char id[24];
	int rc;

	all.cursor = "";
	if (to_filter(&all, &f, id) == -1)
		return bad;
	f.limit = AUDITLOG_EXPORT_MAX;
	/* The byte order mark tells Excel the file is UTF-8. */
	if (buf_adds(out, "\xef\xbb\xbf") == -1 ||
	    buf_adds(out, strcmp(lang, "en") == 0 ? head_en : head_nl) == -1)
		return ST_DB_ERROR;
	c = db_get(env->db);
	rc = auditlog_db_query(c, &f, csv_row, &cs);
	db_put(c);
	if (rc == -1)
		return ST_DB_ERROR;
	if (cs.failed)
		return st_res(ST_INVALID, "too_large",
		    "narrow the filter: the export is too large");
	return ST_RESULT_OK;
}

struct kind_list {
	char **k;
	size_t n;
};

static void
add_kind(const char *kind, void *arg)
{
	struct kind_list *l = arg;

	l->k = xreallocarray(l->k, l->n + 1, sizeof(*l->k));
	l->k[l->n++] = xstrdup(kind);
}

struct st_result
auditlog_kinds(const struct admin_env *env, char ***kinds, size_t *n)
{
	struct kind_list l = { NULL, 0 };
	struct db_conn *c = db_get(env->db);
	int rc = auditlog_db_kinds(c, add_kind, &l);

	db_put(c);
	*kinds = l.k;
	*n = l.n;
	return rc == 0 ? ST_RESULT_OK : ST_DB_ERROR;
}
