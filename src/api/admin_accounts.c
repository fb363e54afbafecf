/*
 * Beheer (O6): accounts and department mailboxes. Accounts show their
 * status, last login, key fingerprint and key history; never a wrapped
 * key, a message or anything about one.
 */
#include "util/common.h"

#include "api/admin_int.h"
#include "api/api.h"
#include "api/errors.h"
#include "api/input.h"
#include "domain/staff.h"
#include "http/request.h"
#include "util/num.h"

static const char *
status_of(const struct staff_account *a)
{
	return a->blocked ? "blocked" : a->verified ? "active" : "unverified";
}

static json_t *
account_json(const struct staff_account *a)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:b,s:b,s:I,s:I,s:o,s:o,s:I}", "id",
	    a->id, "email", a->email, "name", a->name, "status", status_of(a),
	    "is_admin", a->is_admin, "second_factor", a->factor, "created_at",
	    (json_int_t)a->created_at, "last_login_at",
	    (json_int_t)a->last_login_at, "key_id",
	    a->key_id[0] ? json_string(a->key_id) : json_null(), "fingerprint",
	    a->fingerprint[0] ? json_string(a->fingerprint) : json_null(),
	    "keys_changed_at", (json_int_t)a->keys_changed_at);
}

static const char *
query_or(struct request *req, const char *name, const char *dflt)
{
	const char *v = request_query(req, name);

	return v != NULL ? v : dflt;
}

void
api_admin_accounts(struct request *req)
{
	struct staff_list l;
	struct admin_env env;
	struct st_result r;
	uint64_t page = 0;
	json_t *arr;
	size_t i;

	if (num_parse_u64(query_or(req, "page", "0"), 0, 100000, &page) == -1) {
		reply_error(req, 400, "bad_field", "page");
		return;
	}
	api_admin_env(req, &env);
	r = staff_search(&env, query_or(req, "q", ""),
	    query_or(req, "status", ""), (int64_t)page, &l);
	if (r.st != ST_OK) {
		api_error(req, r);
		return;
	}
	arr = json_array();
	for (i = 0; i < l.n; i++)
		json_array_append_new(arr, account_json(&l.a[i]));
	reply_json(req, 200,
	    json_pack("{s:o,s:I,s:I,s:i}", "accounts", arr, "total",
	        (json_int_t)l.total, "page", (json_int_t)page, "page_size",
	        STAFF_PAGE));
	staff_list_release(&l);
}

void
api_admin_account_get(struct request *req)
{
	struct staff_account a;
	struct admin_env env;
	struct st_result r;
	json_t *doc, *hist;
	size_t i;

	api_admin_env(req, &env);
	if ((r = staff_get(&env, req->params[0], &a)).st != ST_OK) {
		api_error(req, r);
		return;
	}
	hist = json_array();
	for (i = 0; i < a.nhistory; i++)
		json_array_append_new(hist,
		    json_pack("{s:I,s:s,s:o}", "at",
		        (json_int_t)a.history[i].at, "kind", a.history[i].kind,
		        "fingerprint",
		        a.history[i].fingerprint[0] ?
		            json_string(a.history[i].fingerprint) :
		            json_null()));
	doc = account_json(&a);
	json_object_set_new(doc, "sessions", json_integer(a.sessions));
	json_object_set_new(doc, "blocked_at", json_integer(a.blocked_at));
	json_object_set_new(doc, "key_history", hist);
	reply_json(req, 200, json_pack("{s:o}", "account", doc));
	staff_account_release(&a);
}

static void
done(struct request *req, struct st_result r)
{
	if (r.st == ST_OK)
		reply_json(req, 200, json_pack("{s:s}", "status", "ok"));
	else
		api_error(req, r);
}

void
api_admin_account_block(struct request *req)
{
	struct admin_env env;

	api_admin_env(req, &env);
	done(req, staff_block(&env, req->params[0], 1));
}

void
api_admin_account_unblock(struct request *req)
{
	struct admin_env env;

	api_admin_env(req, &env);
	done(req, staff_block(&env, req->params[0], 0));
}

void
api_admin_account_end_sessions(struct request *req)
{
	struct admin_env env;

	api_admin_env(req, &env);
	done(req, staff_end_sessions(&env, req->params[0]));
}

void
api_admin_account_promote(struct request *req)
{
	struct admin_env env;

	api_admin_env(req, &env);
	done(req, staff_set_admin(&env, req->params[0], 1));
}

void
api_admin_account_demote(struct request *req)
{
	struct admin_env env;

	api_admin_env(req, &env);
	done(req, staff_set_admin(&env, req->params[0], 0));
}

void
api_admin_account_resend(struct request *req)
{
	struct admin_env env;

	api_admin_env(req, &env);
	done(req, staff_resend(&env, req->params[0]));
}

void
api_admin_mailboxes(struct request *req)
{
	struct staff_mailboxes l;
	struct admin_env env;
	struct st_result r;
	json_t *arr, *members;
	size_t i, j;

	api_admin_env(req, &env);
	if ((r = staff_mailboxes(&env, &l)).st != ST_OK) {
		api_error(req, r);
		return;
	}
	arr = json_array();
	for (i = 0; i < l.n; i++) {
		members = json_array();
		for (j = 0; j < l.m[i].nmembers; j++)
			json_array_append_new(members,
			    json_pack("{s:s,s:s,s:s,s:b}", "email",
			        l.m[i].members[j].email, "name",
			        l.m[i].members[j].name, "role",
			        l.m[i].members[j].role, "has_key",
			        l.m[i].members[j].has_key));
		json_array_append_new(arr,
		    json_pack("{s:s,s:s,s:s,s:b,s:I,s:o}", "id", l.m[i].id,
		        "email", l.m[i].email, "name", l.m[i].name, "has_key",
		        l.m[i].has_key, "created_at",
		        (json_int_t)l.m[i].created_at, "members", members));
	}
	staff_mailboxes_release(&l);
	reply_json(req, 200, json_pack("{s:o}", "mailboxes", arr));
}

void
api_admin_mailbox_create(struct request *req)
{
	static const struct field f[] = {
		{ "email", F_STR, 1, 3, 254 },
		{ "name", F_STR, 0, 0, 200 },
		{ "owner", F_STR, 1, 3, 254 },
	};
	char id[RAND_ID_LEN + 1], dflt[128];
	struct admin_env env;
	struct st_result r;
	const char *name;
	json_t *doc;

	if ((doc = request_json(req)) == NULL)
		return;
	if (input_check(req, doc, f, ST_ARRAY_LEN(f)) == 0) {
		name = input_str(doc, "name");
		/* Without a name, the part before the @, as the CLI does. */
		if (*name == '\0') {
			snprintf(dflt, sizeof(dflt), "%.*s",
			    (int)strcspn(input_str(doc, "email"), "@"),
			    input_str(doc, "email"));
			name = dflt;
		}
		api_admin_env(req, &env);
		r = staff_mailbox_create(&env, input_str(doc, "email"), name,
		    input_str(doc, "owner"), id);
		if (r.st == ST_OK)
			reply_json(req, 201, json_pack("{s:s}", "id", id));
		else
			api_error(req, r);
	}
	json_decref(doc);
}
