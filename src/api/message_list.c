/*
 * The lists of sent and received messages (P1, P2): GET
 * /api/v1/messages?box=sent|received, newest first, with keyset pages
 * (before=<cursor> from the previous page's "next"), a search q on
 * subject, reference and the other party, and a state filter.
 */
#include "util/common.h"

#include "api/api.h"
#include "api/list_query.h"
#include "api/msg_env.h"
#include "domain/reports.h"
#include "domain/user.h"
#include "http/request.h"
#include "http/server.h"

#define LIST_DEFAULT 50
#define LIST_MAX 200

struct page {
	json_t *list;
	int n, limit;
	char next[LISTQ_CURSOR_MAX];
};

static json_t *
opt_int(int64_t v)
{
	return v ? json_integer(v) : json_null();
}

static void
add_line(const struct msg_line *l, void *arg)
{
	struct page *p = arg;

	/* One row past the limit says there is a next page. */
	if (p->n++ == p->limit)
		return;
	json_array_append_new(p->list,
	    json_pack("{s:s,s:s,s:s,s:s,s:{s:s,s:s,s:b},s:o,s:o,s:I,s:I,s:I}",
	        "id", l->id, "state", l->state, "subject", l->subject,
	        "reference", l->reference, "counterpart", "name", l->name,
	        "email", l->email, "external", l->external, "sent_at",
	        opt_int(l->sent_at), "expires_at", opt_int(l->expires_at),
	        "total_size", (json_int_t)l->total_size, "files",
	        (json_int_t)l->files, "created_at", (json_int_t)l->created_at));
	listq_cursor(p->next, sizeof(p->next), l->key_at, l->id);
}

void
api_messages_list(struct request *req)
{
	struct msg_filter f = { 0 };
	struct listq q;
	struct page p = { 0 };
	struct msg_env env;
	const char *err;

	if ((err = listq_parse(req, LIST_DEFAULT, LIST_MAX, &q)) != NULL) {
		reply_error(req, 400, "bad_field", err);
		return;
	}
	f.user_id = req->user->id;
	f.received = q.received;
	f.state = q.state;
	f.like = q.like;
	f.before_at = q.before_at;
	f.before_id = q.before_id;
	f.from = 0;
	f.to = INT64_MAX;
	f.limit = q.limit + 1;
	p.list = json_array();
	p.limit = q.limit;
	api_msg_env(req, &env);
	if (reports_page(&env, &f, add_line, &p) == -1) {
		json_decref(p.list);
		reply_error(req, 503, "busy", "The server is busy; try again");
		return;
	}
	reply_json(req, 200,
	    json_pack("{s:o,s:o}", "messages", p.list, "next",
	        p.n > p.limit ? json_string(p.next) : json_null()));
}
