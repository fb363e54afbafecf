/*
 * Beheer (O6): the gate of every administrator route, and the
 * organisations. The domain layer (domain/factors.c, orgpolicy.c) decides;
 * nothing here reaches a message's contents or metadata.
 */
#include "util/common.h"

#include "api/admin_int.h"
#include "api/api.h"
#include "api/auth_json.h"
#include "api/errors.h"
#include "api/input.h"
#include "domain/factors.h"
#include "domain/orgpolicy.h"
#include "http/request.h"
#include "http/server.h"
#include "util/config.h"

void
api_admin_env(struct request *req, struct admin_env *env)
{
	env->cfg = req->app->cfg;
	env->db = req->app->db;
	env->sec = &req->app->secrets;
	env->actor = req->user->id;
	env->ip = req->ip;
}

int
api_admin_gate(struct request *req)
{
	struct st_result r;
	struct acct_env env;

	api_env(req, &env);
	fault_clear();
	r = factors_admin_gate(&env, req->user, req->session_hash);
	if (r.st == ST_OK)
		return 0;
	/* A gate that could not read the database is its fault (503/507
	 * with Retry-After), as for the session itself, not a 500. */
	if ((r.st == ST_BUSY || r.st == ST_ERROR) &&
	    (req->db_fault = (int)fault_get()) != ST_FAULT_NONE)
		api_db_fault_error(req, fault_get());
	else
		api_error(req, r);
	return -1;
}

static json_t *
org_json(const struct org_policy *o)
{
	return json_pack("{s:s,s:I,s:I,s:o,s:s,s:o,s:o,s:b,s:o,s:I}", "domain",
	    o->domain, "added_at", (json_int_t)o->added_at, "updated_at",
	    (json_int_t)o->updated_at, "retention_days",
	    o->retention > 0 ? json_integer(o->retention / 86400) : json_null(),
	    "delivery", o->delivery, "extensions",
	    o->extensions[0] ? json_string(o->extensions) : json_null(),
	    "max_message_bytes",
	    o->max_message_bytes > 0 ? json_integer(o->max_message_bytes) :
	                               json_null(),
	    "outsiders", o->outsiders, "sms_prefixes",
	    o->sms_prefixes[0] ? json_string(o->sms_prefixes) : json_null(),
	    "accounts", (json_int_t)o->accounts);
}

/* The server-wide values an unset policy follows. */
static json_t *
defaults_json(const struct request *req)
{
	const struct config *cfg = req->app->cfg;

	return json_pack("{s:I,s:s,s:I,s:s,s:{s:i,s:i},s:{s:I,s:I}}",
	    "retention_seconds", (json_int_t)cfg->send_retention, "extensions",
	    cfg->send_allowed_extensions, "max_message_bytes",
	    (json_int_t)cfg->send_max_message_bytes, "sms_prefixes",
	    cfg->sms_allowed_prefixes, "retention_days", "min",
	    ORG_RETENTION_MIN_DAYS, "max", ORG_RETENTION_MAX_DAYS,
	    "max_message_bytes_range", "min", (json_int_t)ORG_MAX_BYTES_MIN,
	    "max", (json_int_t)cfg->send_max_message_bytes);
}

void
api_admin_orgs_list(struct request *req)
{
	struct org_list l = { 0 };
	struct admin_env env;
	struct st_result r;
	json_t *arr;
	size_t i;

	api_admin_env(req, &env);
	if ((r = orgpolicy_list(&env, &l)).st != ST_OK) {
		api_error(req, r);
		return;
	}
	arr = json_array();
	for (i = 0; i < l.n; i++)
		json_array_append_new(arr, org_json(&l.o[i]));
	org_list_release(&l);
	reply_json(req, 200,
	    json_pack("{s:o,s:o}", "organisations", arr, "defaults",
	        defaults_json(req)));
}

void
api_admin_org_add(struct request *req)
{
	static const struct field f[] = { { "domain", F_STR, 1, 1, 260 } };
	struct admin_env env;
	struct st_result r;
	json_t *doc;

	if ((doc = request_json(req)) == NULL)
		return;
	if (input_check(req, doc, f, ST_ARRAY_LEN(f)) == 0) {
		api_admin_env(req, &env);
		r = orgpolicy_add(&env, input_str(doc, "domain"));
		if (r.st == ST_OK)
			reply_json(
			    req, 201, json_pack("{s:s}", "status", "ok"));
		else
			api_error(req, r);
	}
	json_decref(doc);
}

void
api_admin_org_get(struct request *req)
{
	struct org_policy o;
	struct admin_env env;
	struct st_result r;

	api_admin_env(req, &env);
	r = orgpolicy_get(&env, req->params[0], &o);
	if (r.st == ST_OK)
		reply_json(req, 200,
		    json_pack("{s:o,s:o}", "organisation", org_json(&o),
		        "defaults", defaults_json(req)));
	else
		api_error(req, r);
}

/* A JSON integer or null (the server-wide value): 0 for null. */
static int
int_or_null(struct request *req, json_t *doc, const char *name, int64_t *out)
{
	json_t *v = json_object_get(doc, name);

	*out = 0;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) <= 0) {
		reply_error(req, 400, "bad_field", name);
		return -1;
	}
	*out = json_integer_value(v);
	return 0;
}

static int
str_or_null(struct request *req, json_t *doc, const char *name, char *out,
    size_t outlen)
{
	json_t *v = json_object_get(doc, name);

	out[0] = '\0';
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v) || strlen(json_string_value(v)) >= outlen) {
		reply_error(req, 400, "bad_field", name);
		return -1;
	}
	snprintf(out, outlen, "%s", json_string_value(v));
	return 0;
}

void
api_admin_org_put(struct request *req)
{
	static const char *const known[] = { "retention_days", "delivery",
		"extensions", "max_message_bytes", "outsiders",
		"sms_prefixes" };
	struct org_policy *o = xcalloc(1, sizeof(*o));
	struct admin_env env;
	struct st_result r;
	const char *key;
	json_t *doc, *v, *out;
	int64_t days = 0;
	size_t i;

	if ((doc = request_json(req)) == NULL)
		goto done;
	/* Strict: every member known, delivery and outsiders present. */
	json_object_foreach(doc, key, v)
	{
		int ok = 0;

		for (i = 0; i < ST_ARRAY_LEN(known); i++)
			ok |= strcmp(key, known[i]) == 0;
		if (!ok) {
			reply_error(req, 400, "bad_field", "unknown field");
			goto out;
		}
	}
	if (!json_is_string(json_object_get(doc, "delivery")) ||
	    !json_is_boolean(json_object_get(doc, "outsiders"))) {
		reply_error(req, 400, "bad_field", "delivery, outsiders");
		goto out;
	}
	snprintf(o->domain, sizeof(o->domain), "%s", req->params[0]);
	snprintf(o->delivery, sizeof(o->delivery), "%.15s",
	    json_string_value(json_object_get(doc, "delivery")));
	o->outsiders = json_is_true(json_object_get(doc, "outsiders"));
	if (int_or_null(req, doc, "retention_days", &days) == -1 ||
	    int_or_null(req, doc, "max_message_bytes", &o->max_message_bytes) ==
	        -1 ||
	    str_or_null(req, doc, "extensions", o->extensions,
	        sizeof(o->extensions)) == -1 ||
	    str_or_null(req, doc, "sms_prefixes", o->sms_prefixes,
	        sizeof(o->sms_prefixes)) == -1)
		goto out;
	if (days > 10000) {
		reply_error(
		    req, 400, "bad_retention", "retention: 1 to 90 days");
		goto out;
	}
	o->retention = days * 86400;
	api_admin_env(req, &env);
	if ((r = orgpolicy_set(&env, o)).st != ST_OK) {
		api_error(req, r);
		goto out;
	}
	if ((r = orgpolicy_get(&env, o->domain, o)).st != ST_OK) {
		api_error(req, r);
		goto out;
	}
	out = json_pack("{s:o}", "organisation", org_json(o));
	reply_json(req, 200, out);
out:
	json_decref(doc);
done:
	free(o);
}

void
api_admin_org_delete(struct request *req)
{
	struct admin_env env;
	struct st_result r;

	api_admin_env(req, &env);
	r = orgpolicy_remove(&env, req->params[0]);
	if (r.st == ST_OK)
		reply_empty(req, 204);
	else
		api_error(req, r);
}
