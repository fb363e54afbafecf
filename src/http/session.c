/* Loading the session of a request; see session.h. */
#include "util/common.h"

#include "db/db.h"
#include "db/users.h"
#include "domain/accounts.h"
#include "domain/mailboxes.h"
#include "http/csrf.h"
#include "http/request.h"
#include "http/server.h"
#include "http/session.h"
#include "util/clock.h"
#include "util/config.h"

/* last_seen is written at most once a minute per session. */
#define TOUCH_EVERY 60

int
session_load(struct request *req)
{
	const struct config *cfg = req->app->cfg;
	char name[64];
	const char *tok;
	struct db_conn *c;
	struct user *u;
	int64_t now = clock_now(), seen = 0;
	int found;

	tok = request_cookie(
	    req, cookie_name(req->app, "st_session", name, sizeof(name)));
	if (tok == NULL || strlen(tok) != ACCT_SESSION_LEN)
		return -1;
	accounts_session_hash(&req->app->secrets, tok, req->session_hash);
	u = xcalloc(1, sizeof(*u));
	c = db_get(req->app->db);
	found = sessions_lookup(c, req->session_hash, now,
	    cfg->accounts_session_idle, cfg->accounts_session_absolute, u,
	    &seen);
	if (found == 1 && now - seen >= TOUCH_EVERY)
		(void)sessions_touch(c, req->session_hash, now);
	db_put(c);
	if (found != 1) {
		free(u);
		req->session_hash[0] = '\0';
		return -1;
	}
	req->user = u;
	return 0;
}

int
session_act_as(struct request *req)
{
	const char *id = request_header(req, "X-ST-Mailbox");
	struct db_conn *c;
	struct user *as;
	int r;

	if (id == NULL)
		id = request_query(req, "mailbox");
	if (id == NULL || *id == '\0')
		return 0;
	as = xcalloc(1, sizeof(*as));
	c = db_get(req->app->db);
	r = mailboxes_act_as(c, req->user, id, as);
	db_put(c);
	if (r != 1) {
		free(as);
		if (r == 0)
			reply_error(req, 403, "not_member",
			    "You are not a member of this mailbox");
		else
			reply_error(
			    req, 503, "busy", "The server is busy; try again");
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
