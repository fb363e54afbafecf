/*
 * The report of one message (P3 as JSON, P4 as PDF) and the overview of
 * sent messages (P5 as PDF). Only the sender, or the recipient's own
 * account for a message it was sent, sees a report; anyone else gets the
 * same 404 as for a message that does not exist. PDFs are written to an
 * unlinked temporary file page by page and sent from there, and only a
 * few are made at a time.
 */
#include "util/common.h"

#include <fcntl.h>
#include <stdatomic.h>
#include <unistd.h>

#include "api/api.h"
#include "api/list_query.h"
#include "api/msg_env.h"
#include "domain/reports.h"
#include "domain/user.h"
#include "http/request.h"
#include "http/server.h"
#include "report/pdf.h"
#include "report/report.h"
#include "util/clock.h"
#include "util/i18n.h"
#include "util/log.h"

#define PDF_AT_ONCE 4 /* PDFs made or waiting (report/pdf.h) */
#define EVENTS_MAX 10000 /* in one JSON timeline */

static atomic_int rendering;

/* Loads the message of the route's :id as the caller may see it
 * (domain/access.h) or answers 404/503. */
static int
load(
    struct request *req, struct msg_env *env, struct msg_row *m, int *recipient)
{
	struct st_result r;

	api_msg_env(req, env);
	r = reports_message(env, req->params[0], req->user, m, recipient);
	if (r.st == ST_OK)
		return 0;
	if (r.st == ST_NOT_FOUND)
		reply_error(req, 404, "not_found", "No such message");
	else
		reply_error(req, 503, "busy", "The server is busy; try again");
	return -1;
}

struct timeline {
	const struct msg_row *m;
	json_t *events, *files;
};

static void
add_event(const struct event_line *e, void *arg)
{
	struct timeline *t = arg;
	json_t *ev, *d = NULL;

	ev = json_pack("{s:I,s:s,s:s}", "at_ms", (json_int_t)(e->at_us / 1000),
	    "kind", e->kind, "by", report_role(t->m, e->actor));
	if (e->member_email != NULL)
		json_object_set_new(ev, "member",
		    json_pack("{s:s,s:s}", "name",
		        e->member_name ? e->member_name : "", "email",
		        e->member_email));
	if (e->detail != NULL && strcmp(e->kind, "file.uploaded") == 0)
		json_object_set_new(ev, "file_name", json_string(e->detail));
	else if (e->detail != NULL)
		d = json_loads(e->detail, JSON_REJECT_DUPLICATES, NULL);
	if (json_is_integer(json_object_get(d, "file")))
		json_object_set(ev, "file", json_object_get(d, "file"));
	if (json_is_string(json_object_get(d, "reply")))
		json_object_set(ev, "reply", json_object_get(d, "reply"));
	if (json_is_string(json_object_get(d, "to")))
		json_object_set(ev, "to", json_object_get(d, "to"));
	json_decref(d);
	json_array_append_new(t->events, ev);
}

static void
add_file(const struct file_row *f, void *arg)
{
	struct timeline *t = arg;

	json_array_append_new(t->files,
	    json_pack("{s:I,s:s,s:I,s:I,s:s?}", "index", (json_int_t)f->idx,
	        "name", f->name, "size", (json_int_t)f->size, "ciphertext_size",
	        (json_int_t)f->ciphertext_size, "header_sha256",
	        f->header_sha256[0] ? f->header_sha256 : NULL));
}

/* The message as its report shows it to u, its recipient (or sender). */
static json_t *
summary(const struct msg_row *m, const struct user *u, int recipient,
    const struct report_extra *x, json_t *files)
{
	json_t *sender;

	if (!recipient)
		sender = json_pack(
		    "{s:s,s:s}", "name", u->name, "email", u->email);
	else if (m->ext_email != NULL)
		sender = json_pack("{s:s,s:s,s:b}", "name", m->ext_name,
		    "email", m->ext_email, "external", 1);
	else if (x->sender_found)
		sender = json_pack("{s:s,s:s}", "name", x->sender.name, "email",
		    x->sender.email);
	else
		sender = json_pack("{s:s,s:s}", "name", "", "email", "");
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:{s:s,s:s,s:s?,s:s},s:I,"
	                 "s:o,s:o,s:o}",
	    "id", m->id, "state", m->state, "delivery",
	    m->strict ? "strict" : "standard", "subject", m->subject,
	    "reference", m->reference, "sender", sender, "recipient", "name",
	    m->rcpt_name, "email", m->rcpt_email, "phone",
	    recipient ? NULL : m->rcpt_phone, "kind", m->rcpt_kind,
	    "created_at", (json_int_t)m->created_at, "sent_at",
	    m->sent_at ? json_integer(m->sent_at) : json_null(), "expires_at",
	    m->expires_at ? json_integer(m->expires_at) : json_null(), "files",
	    files);
}

void
api_message_events(struct request *req)
{
	struct timeline t = { 0 };
	struct report_extra x;
	struct msg_env env;
	struct msg_row m;
	int rcpt;

	if (load(req, &env, &m, &rcpt) == -1)
		return;
	t.m = &m;
	t.events = json_array();
	t.files = json_array();
	if (reports_timeline(
	        &env, &m, EVENTS_MAX, add_event, add_file, &t, &x) == -1) {
		json_decref(t.events);
		json_decref(t.files);
		msg_row_release(&m);
		reply_error(req, 503, "busy", "The server is busy; try again");
		return;
	}
	reply_json(req, 200,
	    json_pack("{s:o,s:s,s:o,s:b}", "message",
	        summary(&m, req->user, rcpt, &x, t.files), "role",
	        rcpt ? "recipient" : "sender", "events", t.events, "truncated",
	        x.nevents > EVENTS_MAX));
	if (x.sender_found)
		user_release(&x.sender);
	msg_row_release(&m);
}

/* An unlinked temporary file, or -1. */
static int
temp_fd(void)
{
	const char *dir = secure_getenv("TMPDIR");
	char path[PATH_MAX];
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	if (snprintf(path, sizeof(path), "%s/st-pdf-XXXXXX", dir) >=
	    (int)sizeof(path))
		return -1;
	if ((fd = mkostemp(path, O_CLOEXEC)) >= 0)
		unlink(path);
	return fd;
}

/* Takes a rendering slot, or answers 503 and returns -1. */
static int
slot_take(struct request *req)
{
	if (atomic_fetch_add(&rendering, 1) >= PDF_AT_ONCE) {
		atomic_fetch_sub(&rendering, 1);
		reply_error(
		    req, 503, "busy", "Too many reports at once; try again");
		reply_header(req, "Retry-After", "2");
		return -1;
	}
	return 0;
}

/* Sends the finished PDF in fd (closing it in any case). */
static void
send_pdf(struct request *req, int fd, int64_t size, const char *name)
{
	char cd[200];

	if (size == PDF_BUSY) {
		close(fd);
		reply_error(
		    req, 503, "busy", "Too many reports at once; try again");
		reply_header(req, "Retry-After", "5");
		return;
	}
	if (size <= 0 || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		log_error("report failed", "{s:s}", "file", name);
		reply_error(
		    req, 500, "internal", "The report could not be made");
		return;
	}
	snprintf(cd, sizeof(cd), "attachment; filename=\"%s\"", name);
	reply_fd(req, 200, "application/pdf", fd, (uint64_t)size);
	reply_header(req, "Content-Disposition", cd);
}

/* ?lang=en|nl (the page's language), else the account's (U1). */
static const char *
pdf_lang(struct request *req)
{
	const char *q = request_query(req, "lang");

	return i18n_lang(q != NULL ? q : req->user->lang);
}

void
api_message_report_pdf(struct request *req)
{
	struct msg_env env;
	struct msg_row m;
	char name[80];
	int64_t size;
	int fd, rcpt;

	if (slot_take(req) == -1)
		return;
	if (load(req, &env, &m, &rcpt) == -1) {
		atomic_fetch_sub(&rendering, 1);
		return;
	}
	snprintf(name, sizeof(name), "rapportage-%s.pdf", m.id);
	fd = temp_fd();
	size = fd >= 0 ? reports_message_pdf(
	                     &env, &m, clock_now(), rcpt, pdf_lang(req), fd) :
	                 -1;
	msg_row_release(&m);
	atomic_fetch_sub(&rendering, 1);
	if (fd < 0)
		reply_error(
		    req, 503, "busy", "No room for the report; try again");
	else
		send_pdf(req, fd, size, name);
}

void
api_reports_overview_pdf(struct request *req)
{
	struct msg_env env;
	int64_t from, to, size;
	const char *err;
	int fd;

	if ((err = listq_period(req, &from, &to)) != NULL) {
		reply_error(req, 400, "bad_field", err);
		return;
	}
	if (slot_take(req) == -1)
		return;
	fd = temp_fd();
	api_msg_env(req, &env);
	size = fd >= 0 ? reports_overview_pdf(&env, req->user->id, from, to,
	                     clock_now(), pdf_lang(req), fd) :
	                 -1;
	atomic_fetch_sub(&rendering, 1);
	if (fd < 0)
		reply_error(
		    req, 503, "busy", "No room for the report; try again");
	else
		send_pdf(req, fd, size, "overzicht-verzonden.pdf");
}
