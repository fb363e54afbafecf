/*
 * Accounts API (A1-A5): register, verify, resend, pre-login, login,
 * logout, forgot and reset. Request bodies are checked field by field;
 * the domain layer (domain/accounts.c) does the rest.
 */
#include "util/common.h"

#include <sodium.h>

#include "api/api.h"
#include "api/auth_json.h"
#include "api/errors.h"
#include "api/input.h"
#include "domain/accounts.h"
#include "domain/email.h"
#include "http/csrf.h"
#include "http/request.h"
#include "http/server.h"
#include "http/session.h"
#include "util/config.h"

/* clang-format off */
#define TOKEN_FIELD { "token", F_STR, 1, RAND_TOKEN_LEN, RAND_TOKEN_LEN }
#define EMAIL_FIELD { "email", F_STR, 1, 1, EMAIL_MAX }
/* clang-format on */

void
api_env(struct request *req, struct acct_env *env)
{
	env->cfg = req->app->cfg;
	env->db = req->app->db;
	env->sec = &req->app->secrets;
	env->ip = req->ip;
	env->agent = request_header(req, "User-Agent");
	if (env->agent == NULL)
		env->agent = "";
}

static void
accepted(struct request *req)
{
	reply_json(req, 202, json_pack("{s:s}", "status", "check_mail"));
}

void
api_register(struct request *req)
{
	static const struct field f[] = {
		EMAIL_FIELD,
		{ "name", F_STR, 1, 1, 400 },
		{ "user_id", F_STR, 1, RAND_ID_LEN, RAND_ID_LEN },
		{ "auth_key", F_STR, 1, 43, 43 },
		{ "password_ok", F_BOOL, 1, 0, 0 },
		{ "lang", F_STR, 0, 2, 2 },
		KEY_FIELDS_FULL,
	};
	struct acct_register r = { 0 };
	struct acct_env env;
	unsigned char uid[RAND_ID_BYTES];
	enum acct_status st;
	int64_t retry = 0;
	json_t *doc;

	if ((doc = request_json(req)) == NULL)
		return;
	if (input_check(req, doc, f, ST_ARRAY_LEN(f)) == -1 ||
	    input_b64(req, doc, "user_id", uid, sizeof(uid)) == -1 ||
	    input_b64(req, doc, "auth_key", r.auth_key, sizeof(r.auth_key)) ==
	        -1 ||
	    api_read_keys(req, doc, &r.keys, 1) == -1)
		goto out;
	r.email = input_str(doc, "email");
	r.name = input_str(doc, "name");
	r.user_id = input_str(doc, "user_id");
	r.password_ok = json_is_true(json_object_get(doc, "password_ok"));
	r.lang = json_object_get(doc, "lang") ? input_str(doc, "lang") : NULL;
	if (r.lang != NULL && strcmp(r.lang, "nl") != 0 &&
	    strcmp(r.lang, "en") != 0) {
		api_error(req, acct_result(ACCT_BAD_LANG, 0));
		goto out;
	}
	api_env(req, &env);
	st = accounts_register(&env, &r, &retry);
	if (st == ACCT_ACCEPTED)
		accepted(req);
	else
		api_error(req, acct_result(st, retry));
out:
	sodium_memzero(r.auth_key, sizeof(r.auth_key));
	json_decref(doc);
}

/* What the verification page needs to derive the attempt's auth key. */
void
api_verify_info(struct request *req)
{
	static const struct field f[] = { TOKEN_FIELD };
	struct acct_env env;
	enum acct_status st;
	struct user u;
	json_t *doc;

	if ((doc = request_json(req)) == NULL)
		return;
	if (input_check(req, doc, f, ST_ARRAY_LEN(f)) == 0) {
		api_env(req, &env);
		st = accounts_verify_info(&env, input_str(doc, "token"), &u);
		if (st == ACCT_OK) {
			reply_json(req, 200,
			    json_pack("{s:s,s:s,s:s,s:{s:s,s:I,s:I,s:I}}",
			        "email", u.email, "user_id", u.id, "salt",
			        u.keys.kdf_salt ? u.keys.kdf_salt : "", "kdf",
			        "alg", "argon2id", "m",
			        (json_int_t)u.keys.kdf_m, "t",
			        (json_int_t)u.keys.kdf_t, "p",
			        (json_int_t)u.keys.kdf_p));
			user_release(&u);
		} else
			api_error(req, acct_result(st, 0));
	}
	json_decref(doc);
}

void
api_verify(struct request *req)
{
	static const struct field f[] = {
		TOKEN_FIELD,
		{ "auth_key", F_STR, 1, 43, 43 },
	};
	unsigned char auth[PW_AUTH_KEY_LEN];
	struct acct_env env;
	enum acct_status st;
	int64_t retry = 0;
	json_t *doc;

	if ((doc = request_json(req)) == NULL)
		return;
	if (input_check(req, doc, f, ST_ARRAY_LEN(f)) == 0 &&
	    input_b64(req, doc, "auth_key", auth, sizeof(auth)) == 0) {
		api_env(req, &env);
		st = accounts_verify(
		    &env, input_str(doc, "token"), auth, &retry);
		if (st == ACCT_OK)
			reply_json(
			    req, 200, json_pack("{s:s}", "status", "verified"));
		else
			api_error(req, acct_result(st, retry));
	}
	sodium_memzero(auth, sizeof(auth));
	json_decref(doc);
}

/* The endpoints that answer 202 whatever the address: resend, forgot. */
static void
email_only(struct request *req,
    enum acct_status (*fn)(const struct acct_env *, const char *))
{
	static const struct field f[] = { EMAIL_FIELD };
	struct acct_env env;
	enum acct_status st;
	json_t *doc;

	if ((doc = request_json(req)) == NULL)
		return;
	if (input_check(req, doc, f, ST_ARRAY_LEN(f)) == 0) {
		api_env(req, &env);
		st = fn(&env, input_str(doc, "email"));
		if (st == ACCT_ACCEPTED)
			accepted(req);
		else
			api_error(req, acct_result(st, 0));
	}
	json_decref(doc);
}

void
api_verify_resend(struct request *req)
{
	email_only(req, accounts_resend);
}

void
api_password_forgot(struct request *req)
{
	email_only(req, accounts_forgot);
}

void
api_prelogin(struct request *req)
{
	static const struct field f[] = { EMAIL_FIELD };
	struct acct_prelogin p;
	struct acct_env env;
	json_t *doc;

	if ((doc = request_json(req)) == NULL)
		return;
	if (input_check(req, doc, f, ST_ARRAY_LEN(f)) == 0) {
		api_env(req, &env);
		accounts_prelogin(&env, input_str(doc, "email"), &p);
		reply_json(req, 200,
		    json_pack("{s:s,s:s,s:{s:s,s:I,s:I,s:I}}", "user_id",
		        p.user_id, "salt", p.salt, "kdf", "alg", "argon2id",
		        "m", (json_int_t)p.m, "t", (json_int_t)p.t, "p",
		        (json_int_t)p.p));
	}
	json_decref(doc);
}

void
api_login(struct request *req)
{
	static const struct field f[] = {
		EMAIL_FIELD,
		{ "auth_key", F_STR, 1, 43, 43 },
	};
	unsigned char auth[PW_AUTH_KEY_LEN];
	struct acct_session s;
	struct acct_env env;
	struct user u;
	enum acct_status st;
	int64_t retry = 0;
	json_t *doc;

	if ((doc = request_json(req)) == NULL)
		return;
	if (input_check(req, doc, f, ST_ARRAY_LEN(f)) == -1 ||
	    input_b64(req, doc, "auth_key", auth, sizeof(auth)) == -1)
		goto out;
	api_env(req, &env);
	/* A session cookie sent along is replaced (rotation at login). */
	(void)session_load(req);
	st = accounts_login(&env, input_str(doc, "email"), auth,
	    req->session_hash[0] ? req->session_hash : NULL, &u, &s, &retry);
	if (st == ACCT_SECOND_FACTOR) {
		/* No session yet: the factor first (A8). */
		api_login_factor_required(req, s.token);
		sodium_memzero(&s, sizeof(s));
		goto out;
	}
	if (st != ACCT_OK) {
		api_error(req, acct_result(st, retry));
		goto out;
	}
	api_login_answer(req, &u, s.token);
	sodium_memzero(&s, sizeof(s));
	user_release(&u);
out:
	sodium_memzero(auth, sizeof(auth));
	json_decref(doc);
}

void
api_logout(struct request *req)
{
	struct acct_env env;

	api_env(req, &env);
	accounts_logout(&env, req->user, req->session_hash);
	reply_empty(req, 204);
	session_clear_cookie(req);
	cookie_set(req, "st_csrf", "", 0);
	reply_header(req, "Clear-Site-Data", "\"cache\", \"storage\"");
}

void
api_reset_info(struct request *req)
{
	static const struct field f[] = { TOKEN_FIELD };
	struct acct_env env;
	enum acct_status st;
	struct user u;
	json_t *doc;

	if ((doc = request_json(req)) == NULL)
		return;
	if (input_check(req, doc, f, ST_ARRAY_LEN(f)) == 0) {
		api_env(req, &env);
		st = accounts_reset_info(&env, input_str(doc, "token"), &u);
		if (st == ACCT_OK) {
			reply_json(req, 200,
			    json_pack("{s:s,s:s,s:s}", "user_id", u.id, "email",
			        u.email, "wrapped_uk_rec",
			        u.keys.wrapped_uk_rec ? u.keys.wrapped_uk_rec :
			                                ""));
			user_release(&u);
		} else
			api_error(req, acct_result(st, 0));
	}
	json_decref(doc);
}

void
api_reset(struct request *req)
{
	static const struct field f[] = {
		TOKEN_FIELD,
		{ "mode", F_STR, 1, 1, 16 },
		{ "auth_key", F_STR, 1, 43, 43 },
		KEY_FIELDS_FULL_OPTIONAL,
	};
	unsigned char auth[PW_AUTH_KEY_LEN];
	struct user_keys k = { 0 };
	struct acct_env env;
	enum acct_status st;
	const char *mode;
	int new_keys;
	json_t *doc;

	if ((doc = request_json(req)) == NULL)
		return;
	if (input_check(req, doc, f, ST_ARRAY_LEN(f)) == -1 ||
	    input_b64(req, doc, "auth_key", auth, sizeof(auth)) == -1)
		goto out;
	mode = input_str(doc, "mode");
	if (strcmp(mode, "recovery") != 0 && strcmp(mode, "new_keys") != 0) {
		reply_error(
		    req, 400, "bad_field", "mode: recovery or new_keys");
		goto out;
	}
	new_keys = strcmp(mode, "new_keys") == 0;
	if (api_read_keys(req, doc, &k, new_keys) == -1)
		goto out;
	api_env(req, &env);
	st = accounts_reset(&env, input_str(doc, "token"), new_keys, auth, &k);
	if (st == ACCT_OK)
		reply_json(req, 200, json_pack("{s:s}", "status", "reset"));
	else
		api_error(req, acct_result(st, 0));
out:
	sodium_memzero(auth, sizeof(auth));
	json_decref(doc);
}
