/*
 * The second factor (A8): the account's own factors (list, add a passkey
 * or an authenticator app, remove, new recovery codes), the step-up that
 * makes a session fresh for administrator routes, and the second step of
 * a login. The domain layer (domain/factors.c) does the checks.
 */
#include "util/common.h"

#include <sodium.h>

#include "api/api.h"
#include "api/auth_json.h"
#include "api/errors.h"
#include "api/input.h"
#include "domain/factors.h"
#include "http/csrf.h"
#include "http/request.h"
#include "http/session.h"

/* clang-format off */
#define PROOF_FIELDS \
	{ "totp", F_STR, 0, 6, 6 }, \
	{ "recovery_code", F_STR, 0, 10, 24 }, \
	{ "credential", F_OBJ, 0, 0, 0 }
/* clang-format on */

static const struct field cred_f[] = {
	{ "id", F_STR, 1, 16, 1400 },
	{ "client_data", F_STR, 1, 16, 11000 },
	{ "authenticator_data", F_STR, 1, 40, 11000 },
	{ "signature", F_STR, 1, 40, 1400 },
	{ "user_handle", F_STR, 0, 0, 200 },
};

/* Reads the proof of a body (PROOF_FIELDS checked); -1 when answered. */
static int
read_proof(struct request *req, json_t *doc, struct factor_proof *p)
{
	json_t *cred = json_object_get(doc, "credential");

	memset(p, 0, sizeof(*p));
	if (cred != NULL) {
		if (input_check(req, cred, cred_f, ST_ARRAY_LEN(cred_f)) == -1)
			return -1;
		p->credential_id = input_str(cred, "id");
		p->client_data = input_str(cred, "client_data");
		p->auth_data = input_str(cred, "authenticator_data");
		p->signature = input_str(cred, "signature");
	}
	if (json_object_get(doc, "totp") != NULL)
		p->totp = input_str(doc, "totp");
	if (json_object_get(doc, "recovery_code") != NULL)
		p->recovery = input_str(doc, "recovery_code");
	return 0;
}

static json_t *
codes_json(const struct factor_codes *codes)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; codes->made && i < FACTOR_CODES; i++)
		json_array_append_new(arr, json_string(codes->code[i]));
	return arr;
}

/*
 * Answers a change that may have made recovery codes: on success
 * {"status": "ok", "recovery_codes": [...]} (codes only when made), else
 * r's error. Wipes codes either way.
 */
static void
answer_codes(
    struct request *req, struct st_result r, struct factor_codes *codes)
{
	json_t *doc;

	if (r.st == ST_OK) {
		doc = json_pack("{s:s}", "status", "ok");
		if (codes->made)
			json_object_set_new(
			    doc, "recovery_codes", codes_json(codes));
		reply_json(req, 200, doc);
	} else
		api_error(req, r);
	sodium_memzero(codes, sizeof(*codes));
}

/* Answers a removal: 204, or r's error. */
static void
answer_removed(struct request *req, struct st_result r)
{
	if (r.st == ST_OK)
		reply_empty(req, 204);
	else
		api_error(req, r);
}

static json_t *
cred_list(const struct factor_options *o)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < o->ncred_ids; i++)
		json_array_append_new(arr,
		    json_pack("{s:s,s:s}", "type", "public-key", "id",
		        o->cred_ids[i]));
	return arr;
}

/* PublicKeyCredentialRequestOptions, binary members as b64u. */
static json_t *
get_options(const struct factor_options *o)
{
	return json_pack("{s:s,s:s,s:o,s:s,s:i}", "challenge", o->challenge,
	    "rpId", o->rp_id, "allowCredentials", cred_list(o),
	    "userVerification", "preferred", "timeout", 120000);
}

void
api_factors_get(struct request *req)
{
	struct factor_summary s;
	struct st_result r;
	struct acct_env env;
	json_t *creds;
	size_t i;

	api_env(req, &env);
	r = factors_summary(&env, req->user, req->session_hash, &s);
	if (r.st != ST_OK) {
		api_error(req, r);
		return;
	}
	creds = json_array();
	for (i = 0; i < s.ncreds; i++)
		json_array_append_new(creds,
		    json_pack("{s:s,s:s,s:I,s:I}", "id", s.creds[i].id, "name",
		        s.creds[i].name, "created_at",
		        (json_int_t)s.creds[i].created_at, "last_used_at",
		        (json_int_t)s.creds[i].last_used_at));
	reply_json(req, 200,
	    json_pack("{s:b,s:b,s:b,s:o,s:{s:b,s:I},s:I,s:I}", "enrolled",
	        s.enrolled, "required", req->user->is_admin,
	        "webauthn_available", s.webauthn_available, "credentials",
	        creds, "totp", "enabled", s.totp, "since",
	        (json_int_t)(s.totp ? s.totp_since : 0), "recovery_codes_left",
	        (json_int_t)s.recovery_left, "fresh_until",
	        (json_int_t)s.fresh_until));
	factor_summary_release(&s);
}

void
api_factors_webauthn_options(struct request *req)
{
	static const struct field f[] = { { "purpose", F_STR, 1, 6, 8 } };
	struct factor_options o;
	struct st_result r;
	struct acct_env env;
	unsigned char uid[RAND_ID_BYTES];
	char uid64[RAND_ID_LEN + 1];
	const char *purpose;
	json_t *doc, *out;

	if ((doc = request_json(req)) == NULL)
		return;
	if (input_check(req, doc, f, ST_ARRAY_LEN(f)) == -1)
		goto out;
	purpose = input_str(doc, "purpose");
	if (strcmp(purpose, "register") != 0 &&
	    strcmp(purpose, "verify") != 0) {
		reply_error(
		    req, 400, "bad_field", "purpose: register or verify");
		goto out;
	}
	api_env(req, &env);
	r = factors_webauthn_begin(
	    &env, req->user, req->session_hash, purpose, &o);
	if (r.st != ST_OK) {
		api_error(req, r);
		goto out;
	}
	if (strcmp(purpose, "verify") == 0)
		out = get_options(&o);
	else {
		/* The user handle is the account id's 16 bytes. */
		if (b64u_decode(uid, sizeof(uid), req->user->id,
		        strlen(req->user->id)) != RAND_ID_BYTES)
			memset(uid, 0, sizeof(uid));
		b64u_encode(uid64, sizeof(uid64), uid, sizeof(uid));
		out = json_pack("{s:s,s:{s:s,s:s},s:{s:s,s:s,s:s},s:[{s:s,s:i},"
		                "{s:s,s:i}],s:i,s:s,s:{s:s,s:s},s:o}",
		    "challenge", o.challenge, "rp", "id", o.rp_id, "name",
		    "SecureTransfer", "user", "id", uid64, "name",
		    req->user->email, "displayName", req->user->name,
		    "pubKeyCredParams", "type", "public-key", "alg", -8, "type",
		    "public-key", "alg", -7, "timeout", 120000, "attestation",
		    "none", "authenticatorSelection", "residentKey",
		    "preferred", "userVerification", "preferred",
		    "excludeCredentials", cred_list(&o));
	}
	reply_json(req, 200, json_pack("{s:o}", "publicKey", out));
	factor_options_release(&o);
out:
	json_decref(doc);
}

/* An enrolment step with a body that may make recovery codes. */
typedef struct st_result (*enrol_fn)(const struct acct_env *env,
    const struct user *u, const char *session_hash, json_t *doc,
    struct factor_codes *codes);

/* Checks the body against f, runs fn and answers with answer_codes. */
static void
enrol(struct request *req, const struct field *f, size_t nf, enrol_fn fn)
{
	struct factor_codes codes;
	struct acct_env env;
	json_t *doc;

	if ((doc = request_json(req)) == NULL)
		return;
	if (input_check(req, doc, f, nf) == 0) {
		api_env(req, &env);
		answer_codes(req,
		    fn(&env, req->user, req->session_hash, doc, &codes),
		    &codes);
	}
	json_decref(doc);
}

static struct st_result
webauthn_add(const struct acct_env *env, const struct user *u,
    const char *session_hash, json_t *doc, struct factor_codes *codes)
{
	return factors_webauthn_add(env, u, session_hash,
	    input_str(doc, "name"), input_str(doc, "client_data"),
	    input_str(doc, "attestation_object"), codes);
}

void
api_factors_webauthn_add(struct request *req)
{
	static const struct field f[] = {
		{ "name", F_STR, 1, 1, 256 },
		{ "id", F_STR, 0, 16, 1400 },
		{ "client_data", F_STR, 1, 16, 11000 },
		{ "attestation_object", F_STR, 1, 40, 22000 },
	};

	enrol(req, f, ST_ARRAY_LEN(f), webauthn_add);
}

void
api_factors_webauthn_delete(struct request *req)
{
	struct acct_env env;

	api_env(req, &env);
	answer_removed(req,
	    factors_webauthn_remove(
	        &env, req->user, req->session_hash, req->params[0]));
}

void
api_factors_totp_begin(struct request *req)
{
	char secret[TOTP_B32_LEN + 1], uri[FACTOR_URI_MAX];
	struct st_result r;
	struct acct_env env;

	api_env(req, &env);
	r = factors_totp_begin(&env, req->user, req->session_hash, secret, uri);
	if (r.st == ST_OK)
		reply_json(req, 200,
		    json_pack("{s:s,s:s,s:i,s:i,s:s}", "secret", secret, "uri",
		        uri, "digits", TOTP_DIGITS, "period", TOTP_PERIOD,
		        "algorithm", "SHA1"));
	else
		api_error(req, r);
	sodium_memzero(secret, sizeof(secret));
	sodium_memzero(uri, sizeof(uri));
}

static struct st_result
totp_confirm(const struct acct_env *env, const struct user *u,
    const char *session_hash, json_t *doc, struct factor_codes *codes)
{
	return factors_totp_confirm(
	    env, u, session_hash, input_str(doc, "code"), codes);
}

void
api_factors_totp_confirm(struct request *req)
{
	static const struct field f[] = { { "code", F_STR, 1, 6, 6 } };

	enrol(req, f, ST_ARRAY_LEN(f), totp_confirm);
}

void
api_factors_totp_delete(struct request *req)
{
	struct acct_env env;

	api_env(req, &env);
	answer_removed(
	    req, factors_totp_remove(&env, req->user, req->session_hash));
}

void
api_factors_recovery(struct request *req)
{
	struct factor_codes codes;
	struct acct_env env;

	api_env(req, &env);
	answer_codes(req,
	    factors_recovery_new(&env, req->user, req->session_hash, &codes),
	    &codes);
}

void
api_factors_verify(struct request *req)
{
	static const struct field f[] = { PROOF_FIELDS };
	struct factor_proof p;
	struct st_result r;
	struct acct_env env;
	json_t *doc;

	if ((doc = request_json(req)) == NULL)
		return;
	if (input_check(req, doc, f, ST_ARRAY_LEN(f)) == 0 &&
	    read_proof(req, doc, &p) == 0) {
		api_env(req, &env);
		r = factors_verify(&env, req->user, req->session_hash, &p);
		if (r.st == ST_OK)
			reply_json(
			    req, 200, json_pack("{s:s}", "status", "ok"));
		else
			api_error(req, r);
	}
	json_decref(doc);
}

/* What a login that waits for its factor may give (status: 401 to the
 * login, 200 to the options call). */
static void
factor_answer(struct request *req, const char *token, unsigned status)
{
	struct factor_options o;
	struct st_result r;
	struct acct_env env;
	json_t *methods, *doc;

	api_env(req, &env);
	r = factors_login_options(&env, token, &o);
	if (r.st != ST_OK) {
		api_error(req, r);
		return;
	}
	methods = json_array();
	if (o.ncred_ids > 0)
		json_array_append_new(methods, json_string("webauthn"));
	if (o.totp)
		json_array_append_new(methods, json_string("totp"));
	if (o.recovery)
		json_array_append_new(methods, json_string("recovery_code"));
	doc = json_pack("{s:{s:s,s:o,s:o}}", "second_factor", "token", token,
	    "methods", methods, "webauthn",
	    o.ncred_ids > 0 ? json_pack("{s:o}", "publicKey", get_options(&o)) :
	                      json_null());
	if (status == 401)
		json_object_set_new(doc, "error",
		    json_pack("{s:s,s:s}", "code", "second_factor_required",
		        "message",
		        "Give your second factor to finish logging in"));
	reply_json(req, status, doc);
	factor_options_release(&o);
}

void
api_login_factor_required(struct request *req, const char *token)
{
	factor_answer(req, token, 401);
}

void
api_login_factor_options(struct request *req)
{
	static const struct field f[] = {
		{ "token", F_STR, 1, RAND_TOKEN_LEN, RAND_TOKEN_LEN },
	};
	json_t *doc;

	if ((doc = request_json(req)) == NULL)
		return;
	if (input_check(req, doc, f, ST_ARRAY_LEN(f)) == 0)
		factor_answer(req, input_str(doc, "token"), 200);
	json_decref(doc);
}

void
api_login_factor(struct request *req)
{
	static const struct field f[] = {
		{ "token", F_STR, 1, RAND_TOKEN_LEN, RAND_TOKEN_LEN },
		PROOF_FIELDS,
	};
	struct acct_session s;
	struct factor_proof p;
	struct st_result r;
	struct acct_env env;
	struct user u;
	json_t *doc;

	if ((doc = request_json(req)) == NULL)
		return;
	if (input_check(req, doc, f, ST_ARRAY_LEN(f)) == -1 ||
	    read_proof(req, doc, &p) == -1)
		goto out;
	api_env(req, &env);
	r = factors_login_finish(&env, input_str(doc, "token"), &p, &u, &s);
	if (r.st != ST_OK) {
		api_error(req, r);
		goto out;
	}
	api_login_answer(req, &u, s.token);
	sodium_memzero(&s, sizeof(s));
	user_release(&u);
out:
	json_decref(doc);
}
