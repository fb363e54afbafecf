/*
 * Department mailboxes (A7; docs/mailboxes.md): the mailboxes of the
 * logged-in member, one mailbox's keys, members, the member's own grants
 * and its history, looking up a colleague to add, adding them and making
 * a new key (the first one, or with a removal). Every route is for the
 * member as themselves; a non-member gets 404 for a mailbox.
 */
#include "util/common.h"

#include "api/api.h"
#include "api/errors.h"
#include "api/input.h"
#include "api/kt_json.h"
#include "api/msg_env.h"
#include "domain/email.h"
#include "domain/kt_reader.h"
#include "domain/mailboxes_read.h"
#include "http/request.h"
#include "http/server.h"

#define STANZA_B64 107

static json_t *
party_json(const struct mbx_party *p)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s?,s:s?,s:I,s:b}", "id", p->id,
	    "email", p->email, "name", p->name, "role", p->role, "key_id",
	    p->key_id, "x25519_pk", p->x25519_pk, "added_at",
	    (json_int_t)p->added_at, "has_key", p->has_key);
}

static void
add_party(const struct mbx_party *p, void *arg)
{
	json_array_append_new(arg, party_json(p));
}

static void
add_key(const struct mbx_key *k, void *arg)
{
	json_array_append_new(arg,
	    json_pack("{s:s,s:s,s:s,s:s,s:s,s:I}", "key_id", k->key_id,
	        "x25519_pk", k->x25519_pk, "ed25519_pk", k->ed25519_pk,
	        "wrapped_x25519_sk", k->wrapped_x25519_sk, "wrapped_ed25519_sk",
	        k->wrapped_ed25519_sk, "created_at",
	        (json_int_t)k->created_at));
}

static void
add_grant(const struct mbx_grant *g, void *arg)
{
	json_array_append_new(arg,
	    json_pack("{s:s,s:s,s:s,s:s}", "key_id", g->key_id, "member_key_id",
	        g->member_key_id, "granted_by", g->granted_by, "body",
	        g->body));
}

/* A history line; detail is the audit's {"member","key_id"}. */
static void
add_event(const struct mbx_event *e, void *arg)
{
	json_t *d = e->detail ? json_loads(e->detail, 0, NULL) : NULL;
	json_t *ev = json_pack("{s:I,s:s,s:s?}", "at_ms",
	    (json_int_t)(e->at_us / 1000), "kind", e->kind, "by", e->by);

	if (json_is_string(json_object_get(d, "member")))
		json_object_set(ev, "member", json_object_get(d, "member"));
	if (json_is_string(json_object_get(d, "key_id")))
		json_object_set(ev, "key_id", json_object_get(d, "key_id"));
	json_decref(d);
	json_array_append_new(arg, ev);
}

/*
 * Each entry of arr with a key gets its "log": members by their own
 * address, the mailbox's key versions (owner NULL: the entries are key
 * versions of mailbox) by the mailbox's.
 */
static void
add_logs(struct kt_reader *r, json_t *arr, const char *mailbox)
{
	size_t i;
	json_t *e;

	json_array_foreach(arr, i, e)
	{
		const char *x = json_string_value(
		    json_object_get(e, "x25519_pk"));
		const char *ed = json_string_value(
		    json_object_get(e, "ed25519_pk"));
		const char *who = mailbox != NULL ?
		    mailbox :
		    json_string_value(json_object_get(e, "email"));

		if (x != NULL)
			json_object_set_new(
			    e, "log", api_kt_log_in(r, who, x, ed));
	}
}

void
api_mailboxes_list(struct request *req)
{
	json_t *list = json_array();

	if (mailboxes_of_user(req->app->db, req->user->id, add_party, list) ==
	    -1) {
		json_decref(list);
		api_error(req, ST_BUSY_RESULT);
		return;
	}
	reply_json(req, 200, json_pack("{s:o}", "mailboxes", list));
}

static const struct st_result no_mailbox = { ST_NOT_FOUND, "not_found",
	"No such mailbox", 0 };

void
api_mailbox_get(struct request *req)
{
	json_t *keys = json_array(), *members = json_array(),
	       *grants = json_array(), *history = json_array();
	const struct mailboxes_sink sink = { add_key, add_party, add_grant,
		add_event, keys, members, grants, history };
	struct user mb = { 0 };
	struct kt_reader r;
	char role[8];
	int found;

	found = mailboxes_view(
	    req->app->db, req->params[0], req->user->id, role, &mb, &sink);
	if (found == 1) {
		kt_reader_open(req->app->db, &r);
		add_logs(&r, keys, mb.email);
		add_logs(&r, members, NULL);
		kt_reader_close(&r);
		reply_json(req, 200,
		    json_pack("{s:s,s:s,s:s,s:s,s:s?,s:o,s:o,s:o,s:o}", "id",
		        mb.id, "email", mb.email, "name", mb.name, "role", role,
		        "key_id", mb.key_id, "keys", keys, "members", members,
		        "grants", grants, "history", history));
	} else {
		json_decref(keys);
		json_decref(members);
		json_decref(grants);
		json_decref(history);
		api_error(req, found == 0 ? no_mailbox : ST_BUSY_RESULT);
	}
	user_release(&mb);
}

void
api_mailbox_candidate(struct request *req)
{
	static const struct st_result no_account = { ST_NOT_FOUND, "no_account",
		"No verified account with keys", 0 };
	const char *in = request_query(req, "email"), *domain, *why;
	char email[EMAIL_MAX + 1];
	struct kt_reader r;
	struct user u;

	if (in == NULL ||
	    email_normalise(in, email, sizeof(email), &domain, &why) == -1) {
		reply_error(req, 400, "bad_email", "Not an e-mail address");
		return;
	}
	switch (mailboxes_candidate(
	    req->app->db, req->params[0], req->user->id, email, &u)) {
	case MBX_CAND_FOUND:
		kt_reader_open(req->app->db, &r);
		reply_json(req, 200,
		    json_pack("{s:s,s:s,s:s,s:s,s:s,s:o}", "id", u.id, "email",
		        u.email, "name", u.name, "key_id", u.key_id,
		        "x25519_pk", u.keys.x25519_pk, "log",
		        api_kt_log_in(&r, u.email, u.keys.x25519_pk, NULL)));
		kt_reader_close(&r);
		user_release(&u);
		break;
	case MBX_CAND_NONE:
		api_error(req, no_account);
		break;
	case MBX_CAND_NOT_MEMBER:
		api_error(req, no_mailbox);
		break;
	default:
		api_error(req, ST_BUSY_RESULT);
	}
}

/* Reads grants[] (at most max) into g; answers 400 and returns -1. */
static int
read_grants(struct request *req, json_t *arr, struct mbx_grant_in *g,
    size_t max, int with_user)
{
	static const struct field f[] = {
		{ "user_id", F_STR, 0, RAND_ID_LEN, RAND_ID_LEN },
		{ "key_id", F_STR, 0, RAND_ID_LEN, RAND_ID_LEN },
		{ "member_key_id", F_STR, 1, RAND_ID_LEN, RAND_ID_LEN },
		{ "body", F_STR, 1, STANZA_B64, STANZA_B64 },
	};
	size_t i;
	json_t *v;

	if (input_array(req, arr, "grants", max, f, ST_ARRAY_LEN(f)) == -1)
		return -1;
	json_array_foreach(arr, i, v)
	{
		g[i].user_id = json_string_value(json_object_get(v, "user_id"));
		g[i].key_id = json_string_value(json_object_get(v, "key_id"));
		g[i].member_key_id = input_str(v, "member_key_id");
		g[i].body = input_str(v, "body");
		if (with_user ? g[i].user_id == NULL : g[i].key_id == NULL) {
			reply_error(req, 400, "bad_field",
			    with_user ? "grants: user_id required" :
			                "grants: key_id required");
			return -1;
		}
	}
	return 0;
}

void
api_mailbox_rekey(struct request *req)
{
	static const struct field f[] = {
		{ "x25519_pk", F_STR, 1, 43, 43 },
		{ "ed25519_pk", F_STR, 1, 43, 43 },
		{ "wrapped_x25519_sk", F_STR, 1, 80, 300 },
		{ "wrapped_ed25519_sk", F_STR, 1, 80, 300 },
		{ "grants", F_ARR, 1, 1, MBX_MEMBERS_MAX },
		{ "remove", F_STR, 0, RAND_ID_LEN, RAND_ID_LEN },
	};
	struct mbx_grant_in *g = NULL;
	struct mbx_rekey_in in = { 0 };
	char kid[RAND_ID_LEN + 1];
	struct st_result r;
	struct msg_env env;
	json_t *doc;

	if ((doc = request_json(req)) == NULL)
		return;
	if (input_check(req, doc, f, ST_ARRAY_LEN(f)) == 0) {
		in.ngrants = json_array_size(json_object_get(doc, "grants"));
		g = xcalloc(in.ngrants, sizeof(*g));
		if (read_grants(req, json_object_get(doc, "grants"), g,
		        MBX_MEMBERS_MAX, 1) == 0) {
			in.x25519_pk = input_str(doc, "x25519_pk");
			in.ed25519_pk = input_str(doc, "ed25519_pk");
			in.wrapped_x25519_sk = input_str(
			    doc, "wrapped_x25519_sk");
			in.wrapped_ed25519_sk = input_str(
			    doc, "wrapped_ed25519_sk");
			in.grants = g;
			in.remove = json_string_value(
			    json_object_get(doc, "remove"));
			api_msg_env(req, &env);
			r = mailboxes_rekey(
			    &env, req->user, req->params[0], &in, kid);
			if (r.st == ST_OK)
				reply_json(req, 201,
				    json_pack("{s:s}", "key_id", kid));
			else
				api_error(req, r);
		}
	}
	free(g);
	json_decref(doc);
}

void
api_mailbox_add(struct request *req)
{
	static const struct field f[] = {
		{ "user_id", F_STR, 1, RAND_ID_LEN, RAND_ID_LEN },
		{ "grants", F_ARR, 1, 1, MBX_KEYS_MAX },
	};
	struct mbx_grant_in *g = NULL;
	struct st_result r;
	struct msg_env env;
	size_t n;
	json_t *doc;

	if ((doc = request_json(req)) == NULL)
		return;
	if (input_check(req, doc, f, ST_ARRAY_LEN(f)) == 0) {
		n = json_array_size(json_object_get(doc, "grants"));
		g = xcalloc(n, sizeof(*g));
		if (read_grants(req, json_object_get(doc, "grants"), g,
		        MBX_KEYS_MAX, 0) == 0) {
			api_msg_env(req, &env);
			r = mailboxes_add_member(&env, req->user,
			    req->params[0], input_str(doc, "user_id"), g, n);
			if (r.st == ST_OK)
				reply_empty(req, 204);
			else
				api_error(req, r);
		}
	}
	free(g);
	json_decref(doc);
}
