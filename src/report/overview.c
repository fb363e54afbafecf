/*
 * The PDF overview of sent messages (P5): one table row per message in
 * the period, newest first, streamed from the database into the pages;
 * the header row repeats on every page.
 */
#include "util/common.h"

#include "db/report_db.h"
#include "db/users_db.h"
#include "db/user_row.h"
#include "report/pdf.h"
#include "report/report.h"
#include "report/words.h"
#include "util/i18n.h"

#define OVERVIEW_MAX 1000000 /* rows; far above any real account */

struct overview {
	struct db_conn *c;
	const char *user_id;
	int64_t from, to, now;
	int64_t asked_to; /* to as asked, for the heading */
	char *name, *email;
	int64_t rows; /* counted in pass 1, shown in pass 2 */
	int64_t seen;
	const char *lang; /* "nl", "en" */
	struct pdf *p;
};

#define T(key) i18n_text(o->lang, key)

static void
line(const struct msg_line *l, void *arg)
{
	struct overview *o = arg;
	char when[48], files[24];
	const char *cells[7];

	o->seen++;
	words_stamp(
	    l->sent_at ? l->sent_at : l->created_at, when, sizeof(when));
	when[10] = '\0'; /* the date only: "23-11-2026" */
	snprintf(files, sizeof(files), "%" PRId64, l->files);
	cells[0] = when;
	cells[1] = l->name;
	cells[2] = l->email;
	cells[3] = l->subject;
	cells[4] = *l->reference ? l->reference : "–";
	cells[5] = files;
	cells[6] = words_state(o->lang, l->state);
	pdf_table_row(o->p, cells);
}

static void
period(const struct overview *o, char *out, size_t len)
{
	char a[40] = "", b[40] = "";
	const char *params[] = { "from", a, "to", b, NULL };

	if (o->from == 0 && o->asked_to == INT64_MAX) {
		snprintf(out, len, "%s", T("pdf.period_all"));
		return;
	}
	if (o->from > 0)
		words_date(o->lang, o->from, a, sizeof(a));
	if (o->asked_to < INT64_MAX)
		words_date(o->lang, o->asked_to - 1, b, sizeof(b));
	i18n_format(out, len, o->lang,
	    o->from == 0                 ? "pdf.period_to" :
	        o->asked_to == INT64_MAX ? "pdf.period_from" :
	                                   "pdf.period_from_to",
	    params);
}

static int
draw(struct pdf *p, void *arg, int pass)
{
	struct overview *o = arg;
	const struct pdf_col cols[] = { { T("pdf.sent_at"), 0.11 },
		{ T("pdf.recipient"), 0.19 },
		{ T("pdf.recipient_email"), 0.19 }, { T("pdf.subject"), 0.22 },
		{ T("pdf.reference"), 0.12 }, { T("pdf.documents"), 0.08 },
		{ T("pdf.state"), 0.09 } };
	struct msg_filter f = { 0 };
	char buf[700];
	int rc;

	o->p = p;
	o->seen = 0;
	pdf_title(p, T("pdf.overview_title"));
	snprintf(buf, sizeof(buf), "%s <%s>", o->name, o->email);
	pdf_kv(p, T("pdf.sender"), buf);
	period(o, buf, sizeof(buf));
	pdf_kv(p, T("pdf.period"), buf);
	words_datetime(o->lang, o->now, buf, sizeof(buf));
	pdf_kv(p, T("pdf.printed_at"), buf);
	if (pass == 2) {
		snprintf(buf, sizeof(buf), "%" PRId64, o->rows);
		pdf_kv(p, T("pdf.count"), buf);
	} else {
		pdf_kv(p, T("pdf.count"), "0");
	}
	pdf_gap(p, 6);
	pdf_table_begin(p, cols, 7);
	f.user_id = o->user_id;
	f.state = "";
	f.like = "";
	f.before_at = INT64_MAX;
	f.before_id = "";
	f.from = o->from;
	f.to = o->to;
	f.limit = OVERVIEW_MAX;
	rc = msg_page(o->c, &f, line, o);
	pdf_table_end(p);
	if (o->seen == 0)
		pdf_text(p, T("pdf.overview_none"));
	pdf_text(p, T("pdf.overview_footnote"));
	if (pass == 1)
		o->rows = o->seen;
	return rc;
}

int64_t
report_overview_pdf(struct db_conn *c, const char *user_id, int64_t from,
    int64_t to, int64_t now, const char *lang, int fd)
{
	struct overview o = { 0 };
	struct pdf_info info = { 0 };
	struct user u;
	int64_t rc;

	o.c = c;
	o.user_id = user_id;
	o.from = from;
	o.asked_to = to;
	o.to = to < now + 1 ? to : now + 1; /* both passes see one set */
	o.now = now;
	o.lang = i18n_lang(lang);
	if (users_by_id(c, user_id, &u) != 1)
		return -1;
	o.name = xstrdup(u.name);
	o.email = xstrdup(u.email);
	user_release(&u);
	info.title = i18n_text(o.lang, "pdf.overview_title");
	info.subject = info.title;
	info.author = o.name;
	info.keywords = i18n_text(o.lang, "pdf.keywords_overview");
	info.lang = o.lang;
	info.printed_at = now;
	info.landscape = 1;
	rc = pdf_render(fd, &info, draw, &o);
	free(o.name);
	free(o.email);
	return rc;
}
