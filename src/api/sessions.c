/*
 * The logged-in user's sessions (ASVS 3.3.4, SECURITY.md §3 item 17): list
 * them with where and when they were used, end one, or end all others.
 * A session is named by the keyed hash the database keeps, never by its
 * cookie value.
 */
#include "util/common.h"

#include <sodium.h>

#include "api/api.h"
#include "api/auth_json.h"
#include "api/errors.h"
#include "domain/acct_sessions.h"
#include "http/request.h"
#include "http/server.h"
#include "http/session.h"

struct list_ctx {
	json_t *arr;
	const char *current;
};

static void
add_session(const struct acct_session_info *s, void *arg)
{
	struct list_ctx *lc = arg;

	json_array_append_new(lc->arr,
	    json_pack("{s:s,s:I,s:I,s:s,s:s,s:b}", "id", s->id_hash,
	        "created_at", (json_int_t)s->created_at, "last_seen",
	        (json_int_t)s->last_seen, "ip", s->ip, "agent", s->agent,
	        "current", strcmp(s->id_hash, lc->current) == 0));
}

void
api_sessions_list(struct request *req)
{
	struct list_ctx lc = { json_array(), req->session_hash };
	struct acct_env env;

	api_env(req, &env);
	if (acct_sessions_list(&env, req->user->id, add_session, &lc) == -1) {
		json_decref(lc.arr);
		api_error(req, ST_INTERNAL_RESULT);
		return;
	}
	reply_json(req, 200, json_pack("{s:o}", "sessions", lc.arr));
}

void
api_sessions_end(struct request *req)
{
	static const struct st_result none = { ST_NOT_FOUND, "not_found",
		"Not found", 0 };
	struct acct_env env;
	int r;

	api_env(req, &env);
	r = acct_session_end(&env, req->user->id, req->params[0]);
	if (r == 1)
		reply_empty(req, 204);
	else
		api_error(req, r == 0 ? none : ST_INTERNAL_RESULT);
	if (r == 1 && strcmp(req->params[0], req->session_hash) == 0)
		session_clear_cookie(req);
}

void
api_sessions_end_others(struct request *req)
{
	struct acct_env env;

	api_env(req, &env);
	if (acct_sessions_end_others(&env, req->user->id, req->session_hash) ==
	    0)
		reply_empty(req, 204);
	else
		api_error(req, ST_INTERNAL_RESULT);
}

/*
 * The server's half of the key under which the browser keeps its user key
 * for this session's life (docs/accounts-keys.md, "Across reloads"): the
 * browser's half never comes here, so this answer alone opens nothing.
 */
void
api_session_unlock_share(struct request *req)
{
	char share[SECRETS_HASH_LEN + 1];

	if (session_unlock_share(req, share) == -1) {
		reply_error(req, 401, "not_logged_in", "Log in first");
		return;
	}
	reply_json(req, 200, json_pack("{s:s}", "share", share));
	sodium_memzero(share, sizeof(share));
}
