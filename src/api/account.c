/*
 * The logged-in user's own account (A6): read it with the wrapped keys
 * (to unlock after a reload), change the display name, change the
 * password. GET /api/v1/session is here too.
 */
#include "util/common.h"

#include <sodium.h>

#include "api/api.h"
#include "api/auth_json.h"
#include "api/errors.h"
#include "api/input.h"
#include "domain/accounts.h"
#include "http/csrf.h"
#include "http/request.h"
#include "http/session.h"

/* A token as the house makes them: 43 base64url characters. */
static int
token_shaped(const char *s)
{
	size_t i;

	if (s == NULL || strlen(s) != RAND_TOKEN_LEN)
		return 0;
	for (i = 0; i < RAND_TOKEN_LEN; i++) {
		char ch = s[i];

		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		        (ch >= '0' && ch <= '9') || ch == '-' || ch == '_'))
			return 0;
	}
	return 1;
}

void
api_session_get(struct request *req)
{
	char tok[RAND_TOKEN_LEN + 1], name[64];
	const char *have;
	json_t *doc;

	/* The token this browser already has stays: every tab of it reads
	 * the same one, so opening a second tab does not break the first
	 * (the cookie is HttpOnly and __Host-: only this origin's pages
	 * can have it read back to them). A login makes a new one. */
	have = request_cookie(
	    req, cookie_name(req->app, "st_csrf", name, sizeof(name)));
	if (token_shaped(have))
		snprintf(tok, sizeof(tok), "%s", have);
	else
		rand_token(tok);
	if (req->user != NULL)
		doc = api_user_json(req->user, 0);
	else
		doc = json_pack("{s:n}", "user");
	json_object_set_new(
	    doc, "authenticated", json_boolean(req->user != NULL));
	json_object_set_new(doc, "csrf", json_string(tok));
	reply_json(req, 200, doc);
	cookie_set(req, "st_csrf", tok, -1);
	sodium_memzero(tok, sizeof(tok));
}

void
api_account_get(struct request *req)
{
	reply_json(req, 200, api_user_json_keys(req, req->user));
}

void
api_account_put(struct request *req)
{
	static const struct field f[] = { { "name", F_STR, 0, 1, 400 },
		{ "lang", F_STR, 0, 2, 2 } };
	struct acct_env env;
	enum acct_status st = ACCT_OK;
	json_t *doc;
	const char *name, *lang;

	if ((doc = request_json(req)) == NULL)
		return;
	if (input_check(req, doc, f, ST_ARRAY_LEN(f)) == 0) {
		api_env(req, &env);
		name = json_object_get(doc, "name") ? input_str(doc, "name") :
		                                      NULL;
		lang = json_object_get(doc, "lang") ? input_str(doc, "lang") :
		                                      NULL;
		if (name == NULL && lang == NULL) {
			reply_error(
			    req, 400, "bad_field", "Give name, lang or both");
			json_decref(doc);
			return;
		}
		/* The language first: it is the one that can be refused
		 * without a write. */
		if (lang != NULL &&
		    (st = accounts_set_lang(&env, req->user, lang)) == ACCT_OK)
			snprintf(req->user->lang, sizeof(req->user->lang), "%s",
			    lang);
		if (st == ACCT_OK && name != NULL &&
		    (st = accounts_set_name(&env, req->user, name)) ==
		        ACCT_OK) {
			free(req->user->name);
			req->user->name = xstrdup(name);
		}
		if (st == ACCT_OK)
			reply_json(req, 200, api_user_json(req->user, 0));
		else
			api_error(req, acct_result(st, 0));
	}
	json_decref(doc);
}

void
api_account_password(struct request *req)
{
	static const struct field f[] = {
		{ "current_auth_key", F_STR, 1, 43, 43 },
		{ "auth_key", F_STR, 1, 43, 43 },
		KEY_FIELDS_PW,
	};
	unsigned char cur[PW_AUTH_KEY_LEN], next[PW_AUTH_KEY_LEN];
	struct user_keys k = { 0 };
	struct acct_env env;
	enum acct_status st;
	int64_t retry = 0;
	json_t *doc;

	if ((doc = request_json(req)) == NULL)
		return;
	if (input_check(req, doc, f, ST_ARRAY_LEN(f)) == -1 ||
	    input_b64(req, doc, "current_auth_key", cur, sizeof(cur)) == -1 ||
	    input_b64(req, doc, "auth_key", next, sizeof(next)) == -1 ||
	    api_read_keys(req, doc, &k, 0) == -1)
		goto out;
	api_env(req, &env);
	st = accounts_change_password(
	    &env, req->user, req->session_hash, cur, next, &k, &retry);
	if (st == ACCT_OK)
		reply_json(req, 200, json_pack("{s:s}", "status", "changed"));
	else
		api_error(req, acct_result(st, retry));
out:
	sodium_memzero(cur, sizeof(cur));
	sodium_memzero(next, sizeof(next));
	json_decref(doc);
}
