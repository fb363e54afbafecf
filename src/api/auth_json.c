/* JSON shapes for accounts; see auth_json.h. */
#include "util/common.h"

#include "api/auth_json.h"
#include "api/kt_json.h"
#include "domain/kt_reader.h"
#include "http/csrf.h"
#include "http/session.h"
#include "http/request.h"
#include "http/server.h"

int
api_read_keys(struct request *req, json_t *doc, struct user_keys *k, int full)
{
	static const struct field kdf_f[] = {
		{ "alg", F_STR, 0, 8, 8 },
		{ "m", F_INT, 1, 1, 4194304 },
		{ "t", F_INT, 1, 1, 64 },
		{ "p", F_INT, 1, 1, 16 },
	};
	json_t *kdf = json_object_get(doc, "kdf");

	if (input_check(req, kdf, kdf_f, ST_ARRAY_LEN(kdf_f)) == -1 ||
	    input_b64_len(req, doc, "salt", 16, 16) == -1 ||
	    input_b64_len(req, doc, "wrapped_uk_pw", 60, 60) == -1)
		return -1;
	k->kdf_salt = (char *)(uintptr_t)input_str(doc, "salt");
	k->kdf_m = input_int(kdf, "m");
	k->kdf_t = input_int(kdf, "t");
	k->kdf_p = input_int(kdf, "p");
	k->wrapped_uk_pw = (char *)(uintptr_t)input_str(doc, "wrapped_uk_pw");
	if (!full)
		return 0;
	if (input_b64_len(req, doc, "wrapped_uk_rec", 60, 60) == -1 ||
	    input_b64_len(req, doc, "x25519_pk", 32, 32) == -1 ||
	    input_b64_len(req, doc, "ed25519_pk", 32, 32) == -1 ||
	    input_b64_len(req, doc, "wrapped_x25519_sk", 29, 300) == -1 ||
	    input_b64_len(req, doc, "wrapped_ed25519_sk", 29, 300) == -1)
		return -1;
	k->wrapped_uk_rec = (char *)(uintptr_t)input_str(doc, "wrapped_uk_rec");
	k->x25519_pk = (char *)(uintptr_t)input_str(doc, "x25519_pk");
	k->ed25519_pk = (char *)(uintptr_t)input_str(doc, "ed25519_pk");
	k->wrapped_x25519_sk = (char *)(uintptr_t)input_str(
	    doc, "wrapped_x25519_sk");
	k->wrapped_ed25519_sk = (char *)(uintptr_t)input_str(
	    doc, "wrapped_ed25519_sk");
	return 0;
}

static json_t *
str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

json_t *
api_user_json(const struct user *u, int with_keys)
{
	const struct user_keys *k = &u->keys;
	json_t *doc = json_object();

	json_object_set_new(doc, "user",
	    json_pack("{s:s,s:s,s:s,s:b,s:o,s:s}", "id", u->id, "email",
	        u->email, "name", u->name, "is_admin", u->is_admin, "key_id",
	        str_or_null(u->key_id), "lang",
	        u->lang[0] != '\0' ? u->lang : "nl"));
	if (with_keys)
		json_object_set_new(doc, "keys",
		    json_pack("{s:o,s:{s:s,s:I,"
		              "s:I,s:I},s:o,s:o,s:o,s:o,s:o}",
		        "salt", str_or_null(k->kdf_salt), "kdf", "alg",
		        "argon2id", "m", (json_int_t)k->kdf_m, "t",
		        (json_int_t)k->kdf_t, "p", (json_int_t)k->kdf_p,
		        "wrapped_uk_pw", str_or_null(k->wrapped_uk_pw),
		        "x25519_pk", str_or_null(k->x25519_pk), "ed25519_pk",
		        str_or_null(k->ed25519_pk), "wrapped_x25519_sk",
		        str_or_null(k->wrapped_x25519_sk), "wrapped_ed25519_sk",
		        str_or_null(k->wrapped_ed25519_sk)));
	return doc;
}

json_t *
api_user_json_keys(struct request *req, const struct user *u)
{
	json_t *doc = api_user_json(u, 1);
	struct kt_reader r;

	kt_reader_open(req->app->db, &r);
	json_object_set_new(json_object_get(doc, "keys"), "log",
	    api_kt_newest_in(&r, u->email));
	kt_reader_close(&r);
	return doc;
}

void
api_login_answer(struct request *req, const struct user *u, const char *token)
{
	char csrf[RAND_TOKEN_LEN + 1];
	json_t *out;

	rand_token(csrf);
	out = api_user_json_keys(req, u);
	json_object_set_new(out, "csrf", json_string(csrf));
	reply_json(req, 200, out);
	session_set_cookie(req, token);
	cookie_set(req, "st_csrf", csrf, -1);
	sodium_memzero(csrf, sizeof(csrf));
}
