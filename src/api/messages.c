/*
 * Messages API (S1-S7): create a message with its files, read it back as
 * its sender, and send it once every file is uploaded.
 */
#include "util/common.h"

#include <ctype.h>
#include <sodium.h>

#include "api/api.h"
#include "api/errors.h"
#include "api/input.h"
#include "api/kt_json.h"
#include "api/message_doc.h"
#include "api/msg_env.h"
#include "domain/kt_log.h"
#include "domain/messages.h"
#include "domain/msg_view.h"
#include "domain/receive.h"
#include "http/request.h"
#include "http/server.h"
#include "util/config.h"

/* Idempotency-Key: the CLI's are 22 characters; a client's own longer. */
#define IDEM_KEY_MIN 16
#define IDEM_KEY_MAX 64

static void reply_message(struct request *req, const char *id);

/*
 * The Idempotency-Key header (draft-ietf-httpapi-idempotency-key-header):
 * 0 none, 1 a valid one (in *key, with the request's SHA-256 in hash),
 * -1 a bad one (answered 400).
 */
static int
idempotency_key(
    struct request *req, const char **key, char hash[RAND_TOKEN_LEN + 1])
{
	const char *k = request_header(req, "Idempotency-Key");
	unsigned char h[crypto_hash_sha256_BYTES];
	size_t n, i;

	if (k == NULL)
		return 0;
	n = strlen(k);
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)k[i]) && k[i] != '-' && k[i] != '_')
			break;
	if (n < IDEM_KEY_MIN || n > IDEM_KEY_MAX || i != n) {
		reply_error(req, 400, "bad_idempotency_key",
		    "Idempotency-Key: 16 to 64 letters, digits, - or _");
		return -1;
	}
	crypto_hash_sha256(
	    h, (const unsigned char *)req->body.data, req->body.len);
	b64u_encode(hash, RAND_TOKEN_LEN + 1, h, sizeof(h));
	*key = k;
	return 1;
}

void
api_msg_env(struct request *req, struct msg_env *env)
{
	env->cfg = req->app->cfg;
	env->db = req->app->db;
	env->store = req->app->store;
	env->sec = &req->app->secrets;
	env->ip = req->ip;
}

int
api_read_files(struct request *req, json_t *arr, struct msg_create_in *in)
{
	static const struct field f[] = {
		{ "name", F_STR, 1, 1, 255 },
		{ "size", F_INT, 1, 0, (size_t)1 << 53 },
	};
	struct msg_file_in *files;
	json_t *one;
	size_t i;

	if (input_array(req, arr, "files", API_MAX_FILES_JSON, f,
	        ST_ARRAY_LEN(f)) == -1)
		return -1;
	files = xcalloc(json_array_size(arr) + 1, sizeof(*files));
	json_array_foreach(arr, i, one)
	{
		files[i].name = input_str(one, "name");
		files[i].size = (uint64_t)input_int(one, "size");
	}
	in->files = files;
	in->nfiles = json_array_size(arr);
	return 0;
}

/* The recipient's page of a link message, without S: the sender's
 * browser or CLI adds "#" and S in strict mode. */
static void
add_link_url(struct request *req, const char *id, json_t *doc)
{
	char url[512];

	snprintf(
	    url, sizeof(url), "%s/r/%s", req->app->cfg->server_public_url, id);
	json_object_set_new(doc, "link_url", json_string(url));
}

json_t *
api_created_json(struct request *req, const struct msg_create_in *in,
    const struct msg_created *out, const char *endpoint)
{
	const struct config *cfg = req->app->cfg;
	json_t *files = json_array(), *rcpt, *doc;
	size_t i;

	for (i = 0; i < in->nfiles; i++)
		json_array_append_new(files,
		    json_pack("{s:s,s:I,s:s,s:I,s:I}", "id", out->file_ids[i],
		        "index", (json_int_t)i, "name", in->files[i].name,
		        "size", (json_int_t)in->files[i].size,
		        "ciphertext_size",
		        (json_int_t)out->ciphertext_sizes[i]));
	if (out->link)
		rcpt = json_pack("{s:s,s:s,s:s?}", "kind", "link", "email",
		    out->rcpt_email, "phone",
		    out->rcpt_phone[0] ? out->rcpt_phone : NULL);
	else {
		struct kt_log l;

		kt_log_get(req->app->db, out->rcpt.email,
		    out->rcpt.keys.x25519_pk, NULL, &l);
		rcpt = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o}", "kind", "account",
		    "email", out->rcpt_email, "user_id", out->rcpt.id, "key_id",
		    out->rcpt.key_id, "x25519_pk", out->rcpt.keys.x25519_pk,
		    "log", api_kt_log_json(&l));
		kt_log_release(&l);
	}
	doc = json_pack("{s:s,s:s,s:s,s:I,s:o,s:o,s:s?,s:{s:s,s:I,s:I}}", "id",
	    out->id, "state", "uploading", "delivery",
	    out->strict ? "strict" : "standard", "upload_deadline",
	    (json_int_t)out->upload_deadline, "recipient", rcpt, "files", files,
	    "r_srv", out->link ? out->r_srv : NULL, "upload", "endpoint",
	    endpoint, "chunk_size", (json_int_t)cfg->send_chunk_size,
	    "parallel", (json_int_t)cfg->send_parallel_uploads);
	if (out->link)
		add_link_url(req, out->id, doc);
	return doc;
}

void
api_message_create(struct request *req)
{
	static const struct field f[] = {
		{ "recipient", F_OBJ, 1, 0, 0 },
		{ "subject", F_STR, 0, 0, 1000 },
		{ "reference", F_STR, 0, 0, 500 },
		{ "files", F_ARR, 1, 0, API_MAX_FILES_JSON },
		/* standard | strict (domain/delivery.h checks the value) */
		{ "delivery", F_STR, 0, 1, 16 },
	};
	static const struct field rf[] = {
		{ "email", F_STR, 1, 1, 254 },
		{ "name", F_STR, 1, 1, 400 },
		{ "phone", F_STR, 0, 0, 40 },
		/* the key id the sender's pins trust: refused if not current */
		{ "key_id", F_STR, 0, RAND_ID_LEN, RAND_ID_LEN },
		{ "lang", F_STR, 0, 2, 2 },
	};
	struct msg_create_in in = { 0 };
	struct msg_created out = { 0 };
	struct st_result r;
	struct msg_env env;
	json_t *doc, *rcpt, *files;
	char hash[RAND_TOKEN_LEN + 1];
	int idem;

	if ((idem = idempotency_key(req, &in.idem_key, hash)) == -1 ||
	    (doc = request_json(req)) == NULL)
		return;
	in.idem_hash = idem ? hash : NULL;
	files = json_object_get(doc, "files");
	rcpt = json_object_get(doc, "recipient");
	if (input_check(req, doc, f, ST_ARRAY_LEN(f)) == -1 ||
	    input_check(req, rcpt, rf, ST_ARRAY_LEN(rf)) == -1 ||
	    api_read_files(req, files, &in) == -1)
		goto out;
	in.sender = req->user;
	in.rcpt_email = input_str(rcpt, "email");
	in.rcpt_name = input_str(rcpt, "name");
	in.rcpt_phone = input_str(rcpt, "phone");
	in.rcpt_key_id = json_string_value(json_object_get(rcpt, "key_id"));
	in.rcpt_lang = json_object_get(rcpt, "lang") ? input_str(rcpt, "lang") :
	                                               NULL;
	if (in.rcpt_lang != NULL && strcmp(in.rcpt_lang, "nl") != 0 &&
	    strcmp(in.rcpt_lang, "en") != 0) {
		reply_error(req, 400, "bad_field",
		    "recipient.lang: the language is nl or en");
		goto out;
	}
	in.subject = input_str(doc, "subject");
	in.reference = input_str(doc, "reference");
	in.delivery = json_string_value(json_object_get(doc, "delivery"));
	api_msg_env(req, &env);
	r = messages_create(&env, &in, &out);
	/* A retry of a creation that happened: the message as it is now,
	 * with what finishing it needs (200, not 201: nothing was made). */
	if (r.st == ST_OK && out.replayed) {
		reply_message(req, out.id);
		reply_header(req, "Idempotent-Replayed", "true");
	} else if (r.st == ST_OK)
		reply_json(req, 201,
		    api_created_json(req, &in, &out, "/api/v1/uploads"));
	else
		api_error(req, r);
	msg_created_release(&out);
out:
	free((void *)(uintptr_t)in.files);
	json_decref(doc);
}

/*
 * What a sender who reloads needs to finish a message still uploading:
 * the recipient's public key (account flow) or R_srv (link flow), and the
 * upload settings. Added to the message document doc.
 */
static void
add_resume(struct request *req, const struct msg_row *m,
    const struct msg_view *v, json_t *doc)
{
	const struct config *cfg = req->app->cfg;
	json_t *rcpt = json_object_get(doc, "recipient");
	const struct user *u = &v->rcpt;

	json_object_set_new(doc, "upload",
	    json_pack("{s:s,s:I,s:I}", "endpoint", "/api/v1/uploads",
	        "chunk_size", (json_int_t)cfg->send_chunk_size, "parallel",
	        (json_int_t)cfg->send_parallel_uploads));
	if (strcmp(m->rcpt_kind, "link") == 0) {
		if (v->r_srv != NULL)
			json_object_set_new(
			    doc, "r_srv", json_string(v->r_srv));
	} else if (v->rcpt_found) {
		/* The key id the message was made for: if the recipient's
		 * key changed since, the browser's key-id check refuses. */
		json_object_set_new(rcpt, "key_id",
		    m->rcpt_key_id ? json_string(m->rcpt_key_id) : json_null());
		json_object_set_new(rcpt, "x25519_pk",
		    u->keys.x25519_pk ? json_string(u->keys.x25519_pk) :
		                        json_null());
		json_object_set_new(rcpt, "log", api_kt_log_json(&v->rcpt_log));
	}
}

/* The sender's view adds the self-stanza, the code lock and, while
 * uploading, what finishing needs. */
static void
add_sender_view(struct request *req, const struct msg_row *m,
    const struct msg_view *v, json_t *doc)
{
	json_object_set_new(doc, "self_stanza",
	    v->stanza ? json_string(v->stanza) : json_null());
	json_object_set_new(doc, "stanza_key_id",
	    v->stanza ? json_string(v->stanza_kid) : json_null());
	json_object_set_new(doc, "otp_locked", json_boolean(v->otp_locked));
	/* Strict: the sender's sealed copy of S, to show the link again. */
	if (m->strict && strcmp(m->rcpt_kind, "link") == 0) {
		json_object_set_new(doc, "link_secret_sealed",
		    v->link_secret_sealed ? json_string(v->link_secret_sealed) :
		                            json_null());
		add_link_url(req, m->id, doc);
	}
	if (strcmp(m->state, "uploading") == 0)
		add_resume(req, m, v, doc);
}

/* The message document for its sender or recipient (200). */
static void
reply_message(struct request *req, const char *id)
{
	struct st_result r;
	struct msg_view v;
	struct msg_env env;
	struct msg_row m;
	json_t *doc;
	int rcpt;

	api_msg_env(req, &env);
	r = receive_party(&env, id, req->user, &m, &rcpt);
	if (r.st != ST_OK) {
		api_error(req, r);
		return;
	}
	msg_view_get(&env, &m, req->user,
	    rcpt ? MSG_VIEW_RECIPIENT : MSG_VIEW_SENDER, &v);
	doc = message_doc(&m, &v, 0);
	json_object_set_new(
	    doc, "role", json_string(rcpt ? "recipient" : "sender"));
	if (rcpt) {
		json_object_set_new(doc, "stanza",
		    v.stanza ? json_string(v.stanza) : json_null());
		json_object_set_new(doc, "stanza_key_id",
		    v.stanza ? json_string(v.stanza_kid) : json_null());
	} else
		add_sender_view(req, &m, &v, doc);
	msg_view_release(&v);
	reply_json(req, 200, doc);
	msg_row_release(&m);
}

void
api_message_get(struct request *req)
{
	reply_message(req, req->params[0]);
}

void
api_send_message(struct request *req, const char *id)
{
	static const struct field f[] = {
		{ "manifest", F_STR, 1, 40, 1500000 },
		{ "self_stanza", F_STR, 0, 107, 107 },
		{ "recipient_stanza", F_STR, 0, 107, 107 },
		{ "link_auth_hash", F_STR, 0, 43, 43 },
		{ "link_stanza", F_STR, 0, 64, 64 },
		{ "link_secret", F_STR, 0, 43, 43 },
		{ "link_secret_sealed", F_STR, 0, 80, 80 },
	};
	struct msg_send_in in;
	struct st_result r;
	struct msg_env env;
	json_t *doc;

	if ((doc = request_json(req)) == NULL)
		return;
	if (input_check(req, doc, f, ST_ARRAY_LEN(f)) == 0) {
		in.manifest = input_str(doc, "manifest");
		in.self_stanza = input_str(doc, "self_stanza");
		in.rcpt_stanza = input_str(doc, "recipient_stanza");
		in.link_auth_hash = input_str(doc, "link_auth_hash");
		in.link_stanza = input_str(doc, "link_stanza");
		in.link_secret = input_str(doc, "link_secret");
		in.link_secret_sealed = input_str(doc, "link_secret_sealed");
		api_msg_env(req, &env);
		r = messages_send(&env, req->user, id, &in);
		if (r.st == ST_OK)
			reply_json(req, 200,
			    json_pack("{s:s,s:s}", "id", id, "state", "sent"));
		else
			api_error(req, r);
	}
	json_decref(doc);
}

void
api_message_send(struct request *req)
{
	api_send_message(req, req->params[0]);
}

void
api_message_self_stanza(struct request *req)
{
	static const struct field f[] = {
		{ "self_stanza", F_STR, 1, 107, 107 },
	};
	struct st_result r;
	struct msg_env env;
	json_t *doc;

	if ((doc = request_json(req)) == NULL)
		return;
	if (input_check(req, doc, f, ST_ARRAY_LEN(f)) == 0) {
		api_msg_env(req, &env);
		r = messages_put_self_stanza(&env, req->user, req->params[0],
		    input_str(doc, "self_stanza"));
		if (r.st == ST_OK)
			reply_empty(req, 204);
		else
			api_error(req, r);
	}
	json_decref(doc);
}
