/* Loading the session of a request; see session.h. */
#include "util/common.h"

#include "api/errors.h"
#include "domain/acct_sessions.h"
#include "domain/mailboxes.h"
#include "http/csrf.h"
#include "http/request.h"
#include "http/server.h"
#include "http/session.h"
#include "util/config.h"

int
session_load(struct request *req)
{
	struct acct_env env = { req->app->cfg, req->app->db, &req->app->secrets,
		req->ip, "" };
	char name[64];
	const char *tok;
	struct user *u;
	int found;

	tok = request_cookie(
	    req, cookie_name(req->app, "st_session", name, sizeof(name)));
	if (tok == NULL || strlen(tok) != ACCT_SESSION_LEN)
		return -1;
	accounts_session_hash(&req->app->secrets, tok, req->session_hash);
	u = xcalloc(1, sizeof(*u));
	found = acct_session_user(&env, req->session_hash, u);
	if (found != 1) {
		free(u);
		req->session_hash[0] = '\0';
		return -1;
	}
	req->user = u;
	return 0;
}

static const struct st_result not_member = { ST_FORBIDDEN, "not_member",
	"You are not a member of this mailbox", 0 };

int
session_act_as(struct request *req)
{
	const char *id = request_header(req, "X-ST-Mailbox");
	struct user *as;
	int r;

	if (id == NULL)
		id = request_query(req, "mailbox");
	if (id == NULL || *id == '\0')
		return 0;
	as = xcalloc(1, sizeof(*as));
	r = mailboxes_act_as(req->app->db, req->user, id, as);
	if (r != 1) {
		free(as);
		api_error(req, r == 0 ? not_member : ST_BUSY_RESULT);
		return -1;
	}
	session_release(req);
	req->user = as;
	return 0;
}

int
session_unlock_share(struct request *req, char out[SECRETS_HASH_LEN + 1])
{
	char name[64];
	const char *tok;

	tok = request_cookie(
	    req, cookie_name(req->app, "st_session", name, sizeof(name)));
	if (tok == NULL || strlen(tok) != ACCT_SESSION_LEN ||
	    req->session_hash[0] == '\0')
		return -1;
	secrets_keyed_hash(
	    &req->app->secrets, "securetransfer/v1/session-unlock", tok, out);
	return 0;
}

void
session_release(struct request *req)
{
	if (req->user != NULL) {
		user_release(req->user);
		free(req->user);
		req->user = NULL;
	}
}

void
session_set_cookie(struct request *req, const char *token)
{
	cookie_set(req, "st_session", token,
	    (long)req->app->cfg->accounts_session_absolute);
}

void
session_clear_cookie(struct request *req)
{
	cookie_set(req, "st_session", "", 0);
}
