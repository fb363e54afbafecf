/*
 * The link flow of a recipient without an account (R1, R2; docs/receive.md):
 * prove knowledge of S, ask for a code, enter it, then read the message
 * and its files with the capability cookie of that one message.
 */
#include "util/common.h"

#include <sodium.h>

#include "api/api.h"
#include "api/errors.h"
#include "api/input.h"
#include "api/message_doc.h"
#include "api/msg_env.h"
#include "domain/msg_view.h"
#include "domain/receive.h"
#include "http/csrf.h"
#include "http/request.h"
#include "http/server.h"
#include "util/config.h"

/* The cookie of message id: one per message, so one cannot open another. */
static void
cap_cookie_base(const char *id, char *out, size_t len)
{
	snprintf(out, len, "st_cap_%s", rand_id_valid(id) ? id : "x");
}

static const char *
cap_cookie(struct request *req)
{
	char base[40], name[64];

	cap_cookie_base(req->params[0], base, sizeof(base));
	cookie_name(req->app, base, name, sizeof(name));
	return request_cookie(req, name);
}

/* Reads {"link_auth", ...}; NULL (answered 400) when it does not fit. */
static json_t *
link_body(struct request *req, int with_code)
{
	static const struct field f[] = {
		{ "link_auth", F_STR, 1, 43, 43 },
		{ "code", F_STR, 0, 0, 12 },
	};
	json_t *doc;

	if ((doc = request_json(req)) == NULL)
		return NULL;
	if (input_check(req, doc, f, with_code ? 2 : 1) == -1) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

void
api_r_open(struct request *req)
{
	struct rcv_open o;
	struct st_result r;
	struct msg_env env;
	json_t *doc;

	if ((doc = link_body(req, 0)) == NULL)
		return;
	api_msg_env(req, &env);
	r = receive_open(&env, req->params[0], input_str(doc, "link_auth"),
	    cap_cookie(req), &o);
	if (r.st == ST_OK)
		reply_json(req, 200,
		    json_pack("{s:s,s:b,s:s?,s:b,s:b,s:{s:s?},s:I,s:o,s:o}",
		        "id", req->params[0], "code_required", o.code_required,
		        "phone_masked", o.code_required ? o.phone_masked : NULL,
		        "locked", o.locked, "open", o.capable, "sender", "name",
		        o.sender_name, "expires_at", (json_int_t)o.expires_at,
		        "code_sent_at",
		        o.code_sent_at ? json_integer(o.code_sent_at) :
		                         json_null(),
		        "code_expires_at",
		        o.code_expires_at ? json_integer(o.code_expires_at) :
		                            json_null()));
	else
		api_error(req, r);
	free(o.sender_name);
	json_decref(doc);
}

void
api_r_code(struct request *req)
{
	struct st_result r;
	struct msg_env env;
	int64_t expires = 0;
	json_t *doc;

	if ((doc = link_body(req, 0)) == NULL)
		return;
	api_msg_env(req, &env);
	r = receive_send_code(
	    &env, req->params[0], input_str(doc, "link_auth"), &expires);
	if (r.st == ST_OK)
		reply_json(req, 202,
		    json_pack("{s:b,s:I}", "sent", 1, "expires_at",
		        (json_int_t)expires));
	else
		api_error(req, r);
	json_decref(doc);
}

void
api_r_verify(struct request *req)
{
	char token[RAND_TOKEN_LEN + 1], base[40];
	struct st_result r;
	struct msg_env env;
	int64_t left = 0;
	json_t *doc;

	if ((doc = link_body(req, 1)) == NULL)
		return;
	api_msg_env(req, &env);
	r = receive_verify(&env, req->params[0], input_str(doc, "link_auth"),
	    input_str(doc, "code"), token, &left);
	if (r.st == ST_OK) {
		reply_json(req, 200, json_pack("{s:b}", "open", 1));
		cap_cookie_base(req->params[0], base, sizeof(base));
		cookie_set(req, base, token,
		    (long)req->app->cfg->receive_capability_ttl);
		sodium_memzero(token, sizeof(token));
	} else
		api_code_error(req, r, left);
	json_decref(doc);
}

void
api_r_get(struct request *req)
{
	struct st_result r;
	struct msg_view v;
	struct msg_env env;
	struct msg_row m;
	json_t *doc;

	api_msg_env(req, &env);
	r = receive_capable(&env, req->params[0], cap_cookie(req), &m);
	if (r.st != ST_OK) {
		api_error(req, r);
		return;
	}
	msg_view_get(&env, &m, NULL, MSG_VIEW_LINK, &v);
	doc = message_doc(&m, &v, 1);
	json_object_del(json_object_get(doc, "recipient"), "phone");
	json_object_set_new(doc, "role", json_string("link"));
	json_object_set_new(
	    doc, "r_srv", v.r_srv ? json_string(v.r_srv) : json_null());
	msg_view_release(&v);
	reply_json(req, 200, doc);
	msg_row_release(&m);
}

void
api_r_file(struct request *req)
{
	struct st_result r;
	struct msg_env env;
	struct file_row f;
	struct msg_row m;

	api_msg_env(req, &env);
	r = receive_capable(&env, req->params[0], cap_cookie(req), &m);
	if (r.st == ST_OK) {
		r = receive_file(&env, &m, req->params[1], &f);
		msg_row_release(&m);
	}
	if (r.st != ST_OK) {
		api_error(req, r);
		return;
	}
	api_serve_file(req, &f, "link");
	file_row_release(&f);
}

/* The sender lifts the lock five wrong codes put on their message. */
void
api_message_unlock(struct request *req)
{
	struct st_result r;
	struct msg_env env;

	api_msg_env(req, &env);
	r = receive_unlock(&env, req->user, req->params[0]);
	if (r.st == ST_OK)
		reply_json(req, 200,
		    json_pack(
		        "{s:s,s:b}", "id", req->params[0], "otp_locked", 0));
	else
		api_error(req, r);
}
