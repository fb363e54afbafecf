/*
 * The lists on the employee's home page: messages sent and received,
 * newest first (GET /api/v1/messages?box=sent|received&limit=n).
 */
#include "util/common.h"

#include "api/api.h"
#include "db/db.h"
#include "db/receive_db.h"
#include "domain/user.h"
#include "http/request.h"
#include "http/server.h"
#include "util/num.h"

#define LIST_DEFAULT 50
#define LIST_MAX 200

static void
add_line(const struct msg_line *l, void *arg)
{
	json_array_append_new(arg,
	    json_pack("{s:s,s:s,s:s,s:s,s:{s:s,s:s},s:o,s:o,s:I,s:I}", "id",
	        l->id, "state", l->state, "subject", l->subject, "reference",
	        l->reference, "counterpart", "name", l->name, "email", l->email,
	        "sent_at", l->sent_at ? json_integer(l->sent_at) : json_null(),
	        "expires_at",
	        l->expires_at ? json_integer(l->expires_at) : json_null(),
	        "total_size", (json_int_t)l->total_size, "files",
	        (json_int_t)l->files));
}

void
api_messages_list(struct request *req)
{
	const char *box = request_query(req, "box");
	const char *lim = request_query(req, "limit");
	uint64_t limit = LIST_DEFAULT;
	struct db_conn *c;
	json_t *list;
	int received;

	if (box == NULL ||
	    (strcmp(box, "sent") != 0 && strcmp(box, "received") != 0)) {
		reply_error(req, 400, "bad_field", "box: sent or received");
		return;
	}
	if (lim != NULL && num_parse_u64(lim, 1, LIST_MAX, &limit) == -1) {
		reply_error(req, 400, "bad_field", "limit: 1 to 200");
		return;
	}
	received = strcmp(box, "received") == 0;
	list = json_array();
	c = db_get(req->app->db);
	if (msg_list(c, req->user->id, received, (int)limit, add_line, list) ==
	    -1) {
		db_put(c);
		json_decref(list);
		reply_error(req, 503, "busy", "The server is busy; try again");
		return;
	}
	db_put(c);
	reply_json(req, 200, json_pack("{s:o}", "messages", list));
}
