/* An account's sessions; see acct_sessions.h. */
#include "util/common.h"

#include "db/db.h"
#include "db/sessions_db.h"
#include "db/auditlog_db.h"
#include "domain/acct_sessions.h"
#include "util/clock.h"
#include "util/config.h"

/* last_seen is written at most once a minute per session. */
#define TOUCH_EVERY 60

int
acct_session_user(const struct acct_env *env, const char *hash, struct user *u)
{
	const struct config *cfg = env->cfg;
	int64_t now = clock_now(), seen = 0;
	struct db_conn *c = db_get(env->db);
	int found;

	found = sessions_lookup(c, hash, now, cfg->accounts_session_idle,
	    cfg->accounts_session_absolute, u, &seen);
	if (found == 1 && now - seen >= TOUCH_EVERY)
		(void)sessions_touch(c, hash, now);
	db_put(c);
	return found;
}

struct list_ctx {
	acct_session_fn fn;
	void *arg;
};

static void
each_session(const struct session_row *row, void *arg)
{
	const struct list_ctx *lc = arg;
	struct acct_session_info s = { row->id_hash, row->created_at,
		row->last_seen, row->ip, row->agent };

	lc->fn(&s, lc->arg);
}

int
acct_sessions_list(
    const struct acct_env *env, const char *uid, acct_session_fn fn, void *arg)
{
	const struct config *cfg = env->cfg;
	struct list_ctx lc = { fn, arg };
	struct db_conn *c = db_get(env->db);
	int r;

	r = sessions_list(c, uid, clock_now(), cfg->accounts_session_idle,
	    cfg->accounts_session_absolute, each_session, &lc);
	db_put(c);
	return r;
}

int
acct_session_end(const struct acct_env *env, const char *uid, const char *hash)
{
	struct db_conn *c = db_get(env->db);
	int r = sessions_delete_own(c, uid, hash);

	if (r == 1)
		(void)audit_add(c, uid, env->ip, "session.ended", NULL, NULL);
	db_put(c);
	return r;
}

int
acct_sessions_end_others(
    const struct acct_env *env, const char *uid, const char *keep_hash)
{
	struct db_conn *c = db_get(env->db);
	enum db_status r = sessions_delete_user(c, uid, keep_hash);

	if (r == DB_OK)
		(void)audit_add(
		    c, uid, env->ip, "session.ended_others", NULL, NULL);
	db_put(c);
	return r == DB_OK ? 0 : -1;
}
