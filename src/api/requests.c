/*
 * Documents from outside (Q1-Q4; docs/requests.md): an employee's request,
 * the routes under /api/v1/q/:token that its link (or a confirmed
 * drop-off) opens, and the public drop-off page's start and code check.
 * The tus routes under /api/v1/q/:token/uploads are those of uploads.c,
 * acting for the token's holder through api_q_auth.
 */
#include "util/common.h"

#include <sodium.h>

#include "api/api.h"
#include "api/errors.h"
#include "api/input.h"
#include "api/kt_json.h"
#include "api/msg_env.h"
#include "domain/kt_log.h"
#include "domain/requests.h"
#include "http/request.h"
#include "http/server.h"
#include "util/i18n.h"
#include "util/config.h"

/* The optional "lang" of a body: "en" or "nl" (anything else is Dutch). */
static const char *
lang_field(json_t *doc)
{
	return json_object_get(doc, "lang") ?
	    i18n_lang(input_str(doc, "lang")) :
	    NULL;
}

void
api_request_create(struct request *req)
{
	static const struct field f[] = {
		{ "name", F_STR, 1, 1, 400 },
		{ "email", F_STR, 1, 1, 254 },
		{ "text", F_STR, 0, 0, 4 * REQ_TEXT_MAX },
		{ "fp", F_STR, 1, RAND_ID_LEN, RAND_ID_LEN },
		{ "delivery", F_STR, 0, 1, 16 },
		{ "lang", F_STR, 0, 2, 2 },
	};
	struct req_create_in in;
	struct req_created out;
	struct st_result r;
	struct msg_env env;
	char link[512];
	json_t *doc, *ans;

	if ((doc = request_json(req)) == NULL)
		return;
	if (input_check(req, doc, f, ST_ARRAY_LEN(f)) == 0) {
		in.name = input_str(doc, "name");
		in.email = input_str(doc, "email");
		in.text = input_str(doc, "text");
		in.fp = input_str(doc, "fp");
		in.delivery = json_string_value(
		    json_object_get(doc, "delivery"));
		in.lang = lang_field(doc);
		api_msg_env(req, &env);
		r = requests_create(&env, req->user, &in, &out);
		if (r.st == ST_OK) {
			ans = json_pack("{s:s,s:I,s:s}", "id", out.id,
			    "expires_at", (json_int_t)out.expires_at,
			    "delivery", out.strict ? "strict" : "standard");
			/* Strict: the employee's browser adds #fp and mails
			 * it; the server has no mail with the link. */
			if (out.strict) {
				snprintf(link, sizeof(link), "%s/q/%s",
				    req->app->cfg->server_public_url,
				    out.token);
				json_object_set_new(
				    ans, "link_url", json_string(link));
				sodium_memzero(link, sizeof(link));
			}
			reply_json(req, 201, ans);
		} else
			api_error(req, r);
		sodium_memzero(out.token, sizeof(out.token));
	}
	json_decref(doc);
}

/* Opens the request of params[0]; answers the refusal and returns -1. */
static int
open_request(struct request *req, struct req_view *v)
{
	struct st_result r;
	struct msg_env env;

	api_msg_env(req, &env);
	r = requests_open(&env, req->params[0], v);
	if (r.st != ST_OK) {
		api_error(req, r);
		return -1;
	}
	return 0;
}

int
api_q_auth(struct request *req)
{
	struct req_view v;

	if (open_request(req, &v) == -1)
		return -1;
	req->user = requests_principal(&v);
	req_view_release(&v);
	return 0;
}

void
api_q_get(struct request *req)
{
	const struct config *cfg = req->app->cfg;
	struct req_view v;
	struct kt_log l;
	json_t *log;

	if (open_request(req, &v) == -1)
		return;
	kt_log_get(req->app->db, v.employee.email, v.employee.keys.x25519_pk,
	    NULL, &l);
	log = api_kt_log_json(&l);
	kt_log_release(&l);
	reply_json(req, 200,
	    json_pack("{s:s,s:{s:s,s:s,s:s,s:s,s:o},s:{s:s,s:s},s:s,s:I,"
	              "s:{s:I,s:I,s:s}}",
	        "kind", v.r.kind, "employee", "name", v.employee.name, "email",
	        v.employee.email, "key_id", v.employee.key_id, "x25519_pk",
	        v.employee.keys.x25519_pk, "log", log, "sender", "name",
	        v.r.ext_name, "email", v.r.ext_email, "text", v.r.text,
	        "expires_at", (json_int_t)v.r.expires_at, "limits",
	        "max_message_bytes", (json_int_t)v.max_bytes, "max_files",
	        (json_int_t)cfg->send_max_files, "allowed_extensions",
	        cfg->send_allowed_extensions));
	req_view_release(&v);
}

void
api_q_message_create(struct request *req)
{
	static const struct field f[] = {
		{ "subject", F_STR, 0, 0, 1000 },
		{ "reference", F_STR, 0, 0, 500 },
		{ "files", F_ARR, 1, 0, API_MAX_FILES_JSON },
	};
	char endpoint[128];
	struct msg_create_in in = { 0 };
	struct msg_created out;
	struct req_view v;
	struct st_result r;
	struct msg_env env;
	json_t *doc, *files;

	if ((doc = request_json(req)) == NULL)
		return;
	files = json_object_get(doc, "files");
	if (input_check(req, doc, f, ST_ARRAY_LEN(f)) == -1 ||
	    api_read_files(req, files, &in) == -1 ||
	    open_request(req, &v) == -1)
		goto out;
	in.subject = input_str(doc, "subject");
	in.reference = input_str(doc, "reference");
	api_msg_env(req, &env);
	r = requests_message_create(&env, &v, &in, &out);
	if (r.st == ST_OK) {
		snprintf(endpoint, sizeof(endpoint), "/api/v1/q/%s/uploads",
		    req->params[0]);
		reply_json(
		    req, 201, api_created_json(req, &in, &out, endpoint));
	} else
		api_error(req, r);
	msg_created_release(&out);
	req_view_release(&v);
out:
	free((void *)(uintptr_t)in.files);
	json_decref(doc);
}

void
api_q_send(struct request *req)
{
	if (api_q_auth(req) == -1)
		return;
	api_send_message(req, req->params[1]);
}

static void
add_address(const struct user *u, void *arg)
{
	json_array_append_new(
	    arg, json_pack("{s:s,s:s}", "name", u->name, "email", u->email));
}

void
api_dropoff_info(struct request *req)
{
	const struct config *cfg = req->app->cfg;
	json_t *list = json_array();
	char challenge[128];
	struct msg_env env;

	api_msg_env(req, &env);
	dropoff_addresses(&env, add_address, list);
	dropoff_challenge(&env, challenge, sizeof(challenge));
	reply_json(req, 200,
	    json_pack("{s:o,s:{s:s,s:I},s:I,s:I}", "addresses", list, "pow",
	        "challenge", challenge, "bits",
	        (json_int_t)cfg->dropoff_pow_bits, "code_ttl",
	        (json_int_t)cfg->dropoff_code_ttl, "max_message_bytes",
	        (json_int_t)cfg->dropoff_max_message_bytes));
}

void
api_dropoff_start(struct request *req)
{
	static const struct field f[] = {
		{ "to", F_STR, 1, 1, 254 },
		{ "name", F_STR, 1, 1, 400 },
		{ "email", F_STR, 1, 1, 254 },
		{ "challenge", F_STR, 1, 1, 127 },
		{ "nonce", F_STR, 1, 1, 32 },
		{ "lang", F_STR, 0, 2, 2 },
	};
	char token[RAND_TOKEN_LEN + 1];
	struct dropoff_in in;
	struct st_result r;
	struct msg_env env;
	int64_t expires = 0;
	json_t *doc;

	if ((doc = request_json(req)) == NULL)
		return;
	if (input_check(req, doc, f, ST_ARRAY_LEN(f)) == 0) {
		in.to = input_str(doc, "to");
		in.name = input_str(doc, "name");
		in.email = input_str(doc, "email");
		in.challenge = input_str(doc, "challenge");
		in.lang = lang_field(doc);
		in.nonce = input_str(doc, "nonce");
		api_msg_env(req, &env);
		r = dropoff_start(&env, &in, token, &expires);
		if (r.st == ST_OK)
			reply_json(req, 201,
			    json_pack("{s:s,s:I}", "token", token,
			        "code_expires_at", (json_int_t)expires));
		else
			api_error(req, r);
		sodium_memzero(token, sizeof(token));
	}
	json_decref(doc);
}

void
api_dropoff_verify(struct request *req)
{
	static const struct field f[] = {
		{ "code", F_STR, 1, 1, 12 },
	};
	struct st_result r;
	struct msg_env env;
	int64_t left;
	json_t *doc;

	if ((doc = request_json(req)) == NULL)
		return;
	if (input_check(req, doc, f, ST_ARRAY_LEN(f)) == 0) {
		api_msg_env(req, &env);
		r = dropoff_verify(
		    &env, req->params[0], input_str(doc, "code"), &left);
		if (r.st == ST_OK)
			reply_empty(req, 204);
		else
			api_code_error(req, r, left);
	}
	json_decref(doc);
}
