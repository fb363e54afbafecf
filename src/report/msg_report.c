/*
 * The PDF report of one message (P4): header facts, parties, subject and
 * reference, files with sizes and header hashes, and the timeline of its
 * events, streamed from the database into the pages.
 */
#include "util/common.h"

#include <jansson.h>

#include "db/messages_db.h"
#include "db/report_db.h"
#include "db/users_db.h"
#include "db/user_row.h"
#include "report/pdf.h"
#include "report/report.h"
#include "report/words.h"
#include "util/i18n.h"

struct rfile {
	char *name;
	int64_t size, csize;
	char sha[65]; /* hex, "" unknown */
};

struct rmsg {
	struct db_conn *c;
	const struct msg_row *m;
	int64_t now;
	char *sender_name, *sender_email;
	const char *title;
	const char *lang; /* "nl", "en" */
	struct rfile *files;
	size_t nfiles, cap;
	int failed;
	struct pdf *p;
};

const char *
report_role(const struct msg_row *m, const char *actor)
{
	if (actor == NULL || *actor == '\0')
		return "system";
	if (strcmp(actor, "link") == 0)
		return "link";
	if (strcmp(actor, m->sender_id) == 0)
		return "sender";
	if (m->rcpt_user_id != NULL && strcmp(actor, m->rcpt_user_id) == 0)
		return "recipient";
	return "system";
}

static void
hex_of_b64u(const char *b64, char out[65])
{
	static const char hx[] = "0123456789abcdef";
	unsigned char h[32];
	int i;

	out[0] = '\0';
	if (b64 == NULL || b64u_decode(h, sizeof(h), b64, strlen(b64)) != 32)
		return;
	for (i = 0; i < 32; i++) {
		out[2 * i] = hx[h[i] >> 4];
		out[2 * i + 1] = hx[h[i] & 15];
	}
	out[64] = '\0';
}

static void
add_file(const struct file_row *f, void *arg)
{
	struct rmsg *r = arg;
	struct rfile *x;

	if (r->nfiles == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 8;
		r->files = xreallocarray(r->files, r->cap, sizeof(*r->files));
	}
	x = &r->files[r->nfiles++];
	x->name = xstrdup(f->name);
	x->size = f->size;
	x->csize = f->ciphertext_size;
	/* Empty until the background job has read the whole object. */
	hex_of_b64u(f->ciphertext_sha256, x->sha);
}

static const char *
file_name(const struct rmsg *r, int64_t idx)
{
	return idx >= 0 && (uint64_t)idx < r->nfiles ? r->files[idx].name : "?";
}

/* "Naam <e-mail>" into out; the name isolated (FSI ... PDI) so that a
 * right-to-left name does not pull the address into its run. */
static void
party(char *out, size_t len, const char *name, const char *email)
{
	if (name != NULL && *name != '\0')
		snprintf(out, len, "\u2068%s\u2069 <%s>", name,
		    email != NULL ? email : "");
	else
		snprintf(out, len, "%s", email != NULL ? email : "");
}

/* Who did it; for a department mailbox also the member who acted. */
static const char *
who(const struct rmsg *r, const struct event_line *e, char *out, size_t len)
{
	const char *role = report_role(r->m, e->actor);
	char member[600] = "";

	if (e->member_email != NULL)
		party(member, sizeof(member), e->member_name, e->member_email);
	char one[700];
	const char *p1[] = { "name",
		strcmp(role, "sender") == 0 ? r->sender_name : r->m->rcpt_name,
		NULL };
	const char *p2[] = { "role", one, "member", member, NULL };

	if (strcmp(role, "sender") == 0 || strcmp(role, "recipient") == 0) {
		i18n_format(one, sizeof(one), r->lang,
		    strcmp(role, "sender") == 0 ? "pdf.by_sender" :
		                                  "pdf.by_recipient",
		    p1);
		if (*member)
			i18n_format(out, len, r->lang, "pdf.by_member", p2);
		else
			snprintf(out, len, "%s", one);
	} else
		snprintf(out, len, "%s",
		    i18n_text(r->lang,
		        strcmp(role, "link") == 0 ? "pdf.by_link" :
		                                    "pdf.by_system"));
	return out;
}

const char *
report_reply(const char *lang, const char *reply)
{
	char key[64];
	const char *s;

	/* The development transports answer a token, shown in words (issue
	 * 25 item 6); a real relay's or gateway's answer is evidence, as it
	 * came. */
	if (reply == NULL || strncmp(reply, "250 st:", 7) != 0 ||
	    (size_t)snprintf(key, sizeof(key), "report.reply_st_%s",
	        reply + 7) >= sizeof(key) ||
	    (s = i18n_get(lang, key)) == NULL)
		return reply;
	return s;
}

/* The details column: which file, or what the mail server answered. */
static void
details(const struct rmsg *r, const struct event_line *e, char *out, size_t len)
{
	json_t *d;
	const char *to, *reply;

	out[0] = '\0';
	if (e->detail == NULL)
		return;
	if (strcmp(e->kind, "file.uploaded") == 0) {
		snprintf(out, len, "%s", e->detail);
		return;
	}
	if ((d = json_loads(e->detail, JSON_REJECT_DUPLICATES, NULL)) == NULL)
		return;
	if (json_is_integer(json_object_get(d, "file")))
		snprintf(out, len, "%s",
		    file_name(
		        r, json_integer_value(json_object_get(d, "file"))));
	to = json_string_value(json_object_get(d, "to"));
	reply = json_string_value(json_object_get(d, "reply"));
	if (to != NULL || reply != NULL) {
		char a[400] = "", b[400] = "";
		const char *pt[] = { "to", to, NULL };
		const char *pr[] = { "reply", report_reply(r->lang, reply),
			NULL };

		if (to != NULL)
			i18n_format(a, sizeof(a), r->lang, "pdf.to", pt);
		if (reply != NULL)
			i18n_format(b, sizeof(b), r->lang, "pdf.reply", pr);
		/* A detail cell: cut short is what fits on the page. */
		if ((size_t)snprintf(
		        out, len, "%s%s%s", a, *a && *b ? "; " : "", b) >= len)
			out[len - 1] = '\0';
	}
	json_decref(d);
}

static void
event_row(const struct event_line *e, void *arg)
{
	struct rmsg *r = arg;
	char when[32], by[1300], det[800];
	const char *cells[4];

	words_stamp(e->at_us / 1000000, when, sizeof(when));
	details(r, e, det, sizeof(det));
	cells[0] = when;
	cells[1] = words_event(r->lang, e->kind);
	cells[2] = who(r, e, by, sizeof(by));
	cells[3] = det;
	pdf_table_row(r->p, cells);
}

#define T(key) i18n_text(r->lang, key)

static void
facts(struct rmsg *r)
{
	const struct msg_row *m = r->m;
	char buf[800];

	pdf_kv(r->p, T("pdf.message_id"), m->id);
	words_datetime(r->lang, r->now, buf, sizeof(buf));
	pdf_kv(r->p, T("pdf.printed_at"), buf);
	pdf_kv(r->p, T("pdf.state_at_print"), words_state(r->lang, m->state));

	pdf_heading(r->p, T("pdf.parties"));
	party(buf, sizeof(buf), r->sender_name, r->sender_email);
	pdf_kv(r->p, T("pdf.sender"), buf);
	party(buf, sizeof(buf), m->rcpt_name, m->rcpt_email);
	pdf_kv(r->p, T("pdf.recipient"), buf);
	if (m->rcpt_phone != NULL && *m->rcpt_phone != '\0')
		pdf_kv(r->p, T("pdf.phone"), m->rcpt_phone);
	pdf_kv(r->p, T("pdf.delivery"),
	    T(strcmp(m->rcpt_kind, "account") == 0 ? "pdf.delivery_account" :
	                                             "pdf.delivery_link"));
	if (strcmp(m->rcpt_kind, "link") == 0)
		pdf_kv(r->p, T("pdf.link_delivery"),
		    T(m->strict ? "pdf.link_strict" : "pdf.link_standard"));

	pdf_heading(r->p, T("pdf.message"));
	pdf_kv(r->p, T("pdf.subject"), m->subject);
	pdf_kv(r->p, T("pdf.reference"), *m->reference ? m->reference : "–");
	words_datetime(r->lang, m->created_at, buf, sizeof(buf));
	pdf_kv(r->p, T("pdf.created_at"), buf);
	if (m->sent_at) {
		words_datetime(r->lang, m->sent_at, buf, sizeof(buf));
		pdf_kv(r->p, T("pdf.sent_at"), buf);
	}
	if (m->expires_at) {
		words_datetime(r->lang, m->expires_at, buf, sizeof(buf));
		pdf_kv(r->p,
		    T(m->expires_at > r->now ? "pdf.available_until" :
		                               "pdf.expired_at"),
		    buf);
	}
}

static void
files_table(struct rmsg *r)
{
	const struct pdf_col cols[] = { { T("pdf.nr"), 0.06 },
		{ T("pdf.name"), 0.40 }, { T("pdf.size"), 0.12 },
		{ T("pdf.sha256"), 0.42 } };
	char nr[24], size[32];
	const char *cells[4];
	size_t i;

	pdf_heading(r->p, T("pdf.documents"));
	pdf_table_begin(r->p, cols, 4);
	for (i = 0; i < r->nfiles; i++) {
		snprintf(nr, sizeof(nr), "%zu", i + 1);
		words_size(r->lang, r->files[i].size, size, sizeof(size));
		cells[0] = nr;
		cells[1] = r->files[i].name;
		cells[2] = size;
		cells[3] = r->files[i].sha[0] ? r->files[i].sha :
		                                T("pdf.sha_pending");
		pdf_table_row(r->p, cells);
	}
	pdf_table_end(r->p);
}

static int
draw(struct pdf *p, void *arg, int pass)
{
	struct rmsg *r = arg;
	const struct pdf_col cols[] = { { T("pdf.when"), 0.2 },
		{ T("pdf.event"), 0.3 }, { T("pdf.by"), 0.22 },
		{ T("pdf.details"), 0.28 } };
	int64_t n;

	ST_UNUSED(pass);
	r->p = p;
	pdf_title(p, r->title);
	facts(r);
	files_table(r);
	pdf_heading(p, T("pdf.timeline"));
	pdf_table_begin(p, cols, 4);
	n = events_of(r->c, r->m->id, REPORT_MAX_EVENTS, event_row, r);
	pdf_table_end(p);
	if (n > REPORT_MAX_EVENTS)
		pdf_text(p, T("pdf.truncated"));
	/* Only true where the server never had the link's secret: a
	 * standard link message's link went out in the server's own mail
	 * (SECURITY.md 1.6, docs/security.md W1). */
	pdf_text(p,
	    T(strcmp(r->m->rcpt_kind, "link") == 0 && !r->m->strict ?
	            "pdf.footnote_link_standard" :
	            "pdf.footnote"));
	return n < 0 ? -1 : 0;
}

int64_t
report_message_pdf(struct db_conn *c, const struct msg_row *m, int64_t now,
    int received, const char *lang, int fd)
{
	struct rmsg r = { 0 };
	struct pdf_info info = { 0 };
	struct user u;
	char subject[600];
	int64_t rc;
	size_t i;

	r.c = c;
	r.m = m;
	r.now = now;
	r.lang = i18n_lang(lang);
	r.title = i18n_text(
	    r.lang, received ? "pdf.title_received" : "pdf.title_sent");
	if (m->ext_email != NULL) {
		/* From outside (Q2, Q4): who the message says, labelled. */
		char label[512];
		const char *params[] = { "name",
			m->ext_name != NULL ? m->ext_name : "", NULL };

		i18n_format(label, sizeof(label), r.lang, "pdf.external_sender",
		    params);
		r.sender_name = xstrdup(label);
		r.sender_email = xstrdup(m->ext_email);
	} else if (users_by_id(c, m->sender_id, &u) == 1) {
		r.sender_name = xstrdup(u.name);
		r.sender_email = xstrdup(u.email);
		user_release(&u);
	} else {
		r.sender_name = xstrdup("?");
		r.sender_email = xstrdup("");
	}
	if (files_of(c, m->id, add_file, &r) == -1) {
		rc = -1;
		goto out;
	}
	snprintf(subject, sizeof(subject), "%s (%s)", m->subject, m->id);
	info.title = r.title;
	info.subject = subject;
	info.author = r.sender_name;
	info.keywords = i18n_text(r.lang, "pdf.keywords_report");
	info.printed_at = now;
	info.lang = r.lang;
	rc = pdf_render(fd, &info, draw, &r);
out:
	for (i = 0; i < r.nfiles; i++)
		free(r.files[i].name);
	free(r.files);
	free(r.sender_name);
	free(r.sender_email);
	return rc;
}
