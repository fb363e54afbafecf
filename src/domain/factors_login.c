/*
 * The second step of a login: the password was right (accounts_login),
 * now the factor, and only then a session (and with it the wrapped
 * keys). See factors.h.
 */
#include "util/common.h"

#include <sodium.h>

#include "db/db.h"
#include "db/factors_db.h"
#include "db/users_db.h"
#include "domain/accounts_int.h"
#include "domain/factors.h"
#include "domain/factors_int.h"
#include "util/clock.h"

static const struct st_result gone = { ST_UNAUTHORIZED, "login_expired",
	"This login ran out; log in again", 0 };

int
factors_login_begin(const struct acct_env *env, const struct user *u,
    const char *old_hash, char token[RAND_TOKEN_LEN + 1])
{
	struct fdb_challenge ch = { 0 };
	char cid[48];
	struct db_conn *c;
	enum db_status st;

	rand_token(token);
	snprintf(ch.user_id, sizeof(ch.user_id), "%s", u->id);
	snprintf(ch.purpose, sizeof(ch.purpose), "login");
	factor_new_challenge(ch.challenge);
	ch.expires_at = clock_now() + FACTOR_LOGIN_TTL;
	if (old_hash != NULL)
		snprintf(
		    ch.old_session, sizeof(ch.old_session), "%s", old_hash);
	factor_challenge_id(env, "login", token, cid);
	c = db_get(env->db);
	(void)fdb_challenges_expire(c, clock_now());
	st = fdb_challenge_put(c, cid, &ch);
	db_put(c);
	if (st != DB_OK)
		sodium_memzero(token, RAND_TOKEN_LEN + 1);
	return st == DB_OK ? 0 : -1;
}

static void
add_id(const struct fdb_cred *cr, void *arg)
{
	struct factor_options *o = arg;

	o->cred_ids = xreallocarray(
	    o->cred_ids, o->ncred_ids + 1, sizeof(*o->cred_ids));
	o->cred_ids[o->ncred_ids++] = xstrdup(cr->id);
}

struct st_result
factors_login_options(
    const struct acct_env *env, const char *token, struct factor_options *out)
{
	struct webauthn_rp rp;
	struct fdb_challenge ch;
	char cid[48], *sealed = NULL;
	int confirmed = 0, got, totp;
	int64_t created, left;
	struct db_conn *c;

	memset(out, 0, sizeof(*out));
	if (strlen(token) != RAND_TOKEN_LEN)
		return gone;
	factor_challenge_id(env, "login", token, cid);
	c = db_get(env->db);
	got = fdb_challenge_get(c, cid, clock_now(), &ch);
	if (got == 1 && strcmp(ch.purpose, "login") == 0) {
		factor_rp(env, &rp);
		if ((rp.available &&
		        fdb_creds(c, ch.user_id, add_id, out) == -1) ||
		    (totp = fdb_totp_get(
		         c, ch.user_id, &sealed, &confirmed, &created)) == -1 ||
		    (left = fdb_recovery_left(c, ch.user_id)) < 0)
			got = -1;
		else {
			out->totp = totp == 1 && confirmed;
			out->recovery = left > 0;
			memcpy(out->challenge, ch.challenge,
			    sizeof(out->challenge));
			snprintf(out->rp_id, sizeof(out->rp_id), "%s", rp.id);
		}
	} else if (got == 1)
		got = 0;
	db_put(c);
	free(sealed);
	if (got != 1) {
		factor_options_release(out);
		return got == 0 ? gone : ST_DB_ERROR;
	}
	return ST_RESULT_OK;
}

struct st_result
factors_login_finish(const struct acct_env *env, const char *token,
    const struct factor_proof *p, struct user *u, struct acct_session *s)
{
	struct fdb_challenge ch;
	struct st_result r;
	char cid[48];
	struct db_conn *c;
	int got;

	memset(u, 0, sizeof(*u));
	if (strlen(token) != RAND_TOKEN_LEN)
		return gone;
	factor_challenge_id(env, "login", token, cid);
	c = db_get(env->db);
	got = fdb_challenge_get(c, cid, clock_now(), &ch);
	if (got != 1 || strcmp(ch.purpose, "login") != 0) {
		db_put(c);
		return got == -1 ? ST_DB_ERROR : gone;
	}
	r = factor_prove(c, env, ch.user_id, cid, p);
	/* An assertion took the login with its challenge; a code takes it
	 * here. Either way it makes one session only. */
	if (r.st == ST_OK && p->credential_id == NULL &&
	    (got = fdb_challenge_take(c, cid)) != 1)
		r = got == 0 ? gone : ST_DB_ERROR;
	if (r.st == ST_OK && (got = users_by_id(c, ch.user_id, u)) != 1)
		r = got == 0 ? gone : ST_DB_ERROR;
	db_put(c);
	if (r.st != ST_OK)
		return r;
	/* Blocked or unverified since the password was given. */
	if (u->blocked || !u->verified) {
		user_release(u);
		return st_res(ST_FORBIDDEN, "account_blocked",
		    "This account is blocked; ask your administrator");
	}
	if (acct_start_session(env, u,
	        ch.old_session[0] ? ch.old_session : NULL, s,
	        clock_now()) != ACCT_OK) {
		user_release(u);
		return ST_DB_ERROR;
	}
	return ST_RESULT_OK;
}
