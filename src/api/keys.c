/*
 * Public keys (SECURITY.md 1.8): the key directory that senders check
 * against the key-transparency log and their pins (GET /api/v1/keys?email=,
 * with the keys' "log" entry: api/kt_json.h), and the account's own
 * keyring of pins, sealed in the browser (GET/PUT /api/v1/account/keyring).
 */
#include "util/common.h"

#include "api/api.h"
#include "api/errors.h"
#include "api/input.h"
#include "api/kt_json.h"
#include "domain/email.h"
#include "domain/keyring.h"
#include "domain/kt_reader.h"
#include "http/request.h"
#include "http/server.h"

void
api_keys_get(struct request *req)
{
	const char *in = request_query(req, "email"), *domain, *why;
	char email[EMAIL_MAX + 1];
	struct kt_reader r;
	json_t *log = NULL;
	struct user u;
	int found;

	if (in == NULL ||
	    email_normalise(in, email, sizeof(email), &domain, &why) == -1) {
		reply_error(req, 400, "bad_email", "Not an e-mail address");
		return;
	}
	kt_reader_open(req->app->db, &r);
	found = kt_reader_directory(&r, email, &u);
	if (found == 1)
		/* The keys' entry in the key-transparency log: clients use
		 * no key without it (docs/transparency.md). */
		log = api_kt_log_in(
		    &r, u.email, u.keys.x25519_pk, u.keys.ed25519_pk);
	kt_reader_close(&r);
	if (found == -1) {
		api_error(req, ST_BUSY_RESULT);
		return;
	}
	if (found == 0) {
		reply_json(req, 200,
		    json_pack("{s:s,s:s}", "email", email, "kind", "none"));
		return;
	}
	reply_json(req, 200,
	    json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:o}", "email", u.email, "kind",
	        u.is_mailbox ? "mailbox" : "account", "user_id", u.id, "key_id",
	        u.key_id, "x25519_pk", u.keys.x25519_pk, "ed25519_pk",
	        u.keys.ed25519_pk, "log", log));
	user_release(&u);
}

void
api_keyring_get(struct request *req)
{
	int64_t version = 0;
	char *blob = NULL;

	if (keyring_get(req->app->db, req->user->id, &version, &blob) !=
	    KEYRING_OK) {
		api_error(req, ST_BUSY_RESULT);
		return;
	}
	reply_json(req, 200,
	    json_pack(
	        "{s:I,s:s?}", "version", (json_int_t)version, "blob", blob));
	free(blob);
}

void
api_keyring_put(struct request *req)
{
	static const struct field f[] = {
		{ "version", F_INT, 1, 0, (size_t)1 << 53 },
		{ "blob", F_STR, 1, 1, KEYRING_MAX_B64 },
	};
	int64_t version = 0;
	json_t *doc, *err;

	if ((doc = request_json(req)) == NULL)
		return;
	if (input_check(req, doc, f, ST_ARRAY_LEN(f)) == -1)
		goto out;
	switch (keyring_put(req->app->db, req->user->id,
	    (int64_t)input_int(doc, "version"), input_str(doc, "blob"),
	    &version)) {
	case KEYRING_OK:
		reply_json(req, 200,
		    json_pack("{s:I}", "version", (json_int_t)version));
		break;
	case KEYRING_CONFLICT:
		/* The version there now, so the client knows it must read. */
		err = json_pack("{s:{s:s,s:s,s:I}}", "error", "code",
		    "keyring_conflict", "message",
		    "The keyring changed since it was read; read it again",
		    "version", (json_int_t)version);
		reply_json(req, 409, err);
		break;
	case KEYRING_INVALID:
		api_error(req,
		    st_res(ST_INVALID, "bad_keyring",
		        "blob must be base64url of a sealed keyring"));
		break;
	default:
		api_error(req, ST_BUSY_RESULT);
	}
out:
	json_decref(doc);
}
