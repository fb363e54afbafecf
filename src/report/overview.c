/*
 * The PDF overview of sent messages (P5): one table row per message in
 * the period, newest first, streamed from the database into the pages;
 * the header row repeats on every page.
 */
#include "util/common.h"

#include "db/report_db.h"
#include "db/users.h"
#include "domain/user.h"
#include "report/pdf.h"
#include "report/report.h"
#include "report/words.h"

#define OVERVIEW_MAX 1000000 /* rows; far above any real account */

struct overview {
	struct db_conn *c;
	const char *user_id;
	int64_t from, to, now;
	int64_t asked_to; /* to as asked, for the heading */
	char *name, *email;
	int64_t rows; /* counted in pass 1, shown in pass 2 */
	int64_t seen;
	struct pdf *p;
};

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
	cells[6] = words_state(l->state);
	pdf_table_row(o->p, cells);
}

static void
period(const struct overview *o, char *out, size_t len)
{
	char a[40], b[40];

	if (o->from == 0 && o->asked_to == INT64_MAX) {
		snprintf(out, len, "Alle verstuurde berichten");
		return;
	}
	if (o->from > 0)
		words_date(o->from, a, sizeof(a));
	if (o->asked_to < INT64_MAX)
		words_date(o->asked_to - 1, b, sizeof(b));
	if (o->from == 0)
		snprintf(out, len, "Tot en met %s", b);
	else if (o->asked_to == INT64_MAX)
		snprintf(out, len, "Vanaf %s", a);
	else
		snprintf(out, len, "%s tot en met %s", a, b);
}

static int
draw(struct pdf *p, void *arg, int pass)
{
	static const struct pdf_col cols[] = { { "Verstuurd op", 0.11 },
		{ "Ontvanger", 0.19 }, { "E-mailadres", 0.19 },
		{ "Onderwerp", 0.22 }, { "Kenmerk", 0.12 },
		{ "Documenten", 0.08 }, { "Status", 0.09 } };
	struct overview *o = arg;
	struct msg_filter f = { 0 };
	char buf[700];
	int rc;

	o->p = p;
	o->seen = 0;
	pdf_title(p, "Overzicht verstuurde berichten");
	snprintf(buf, sizeof(buf), "%s <%s>", o->name, o->email);
	pdf_kv(p, "Afzender", buf);
	period(o, buf, sizeof(buf));
	pdf_kv(p, "Periode", buf);
	words_datetime(o->now, buf, sizeof(buf));
	pdf_kv(p, "Afgedrukt op", buf);
	if (pass == 2) {
		snprintf(buf, sizeof(buf), "%" PRId64, o->rows);
		pdf_kv(p, "Aantal berichten", buf);
	} else {
		pdf_kv(p, "Aantal berichten", "0");
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
		pdf_text(p, "Geen verstuurde berichten in deze periode.");
	pdf_text(p,
	    "Alle tijden in Nederlandse tijd (Europe/Amsterdam). "
	    "Status zoals bij het afdrukken.");
	if (pass == 1)
		o->rows = o->seen;
	return rc;
}

int64_t
report_overview_pdf(struct db_conn *c, const char *user_id, int64_t from,
    int64_t to, int64_t now, int fd)
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
	if (users_by_id(c, user_id, &u) != 1)
		return -1;
	o.name = xstrdup(u.name);
	o.email = xstrdup(u.email);
	user_release(&u);
	info.title = "Overzicht verstuurde berichten";
	info.subject = "Overzicht verstuurde berichten";
	info.author = o.name;
	info.keywords = "SecureTransfer, overzicht";
	info.printed_at = now;
	info.landscape = 1;
	rc = pdf_render(fd, &info, draw, &o);
	free(o.name);
	free(o.email);
	return rc;
}
