/*
 * Registration and verification (A1, A3) without pre-hijacking
 * (SECURITY.md 1.7). A registration is an attempt: its own user id,
 * verifier, keys and name, and a mailed link that verifies that attempt
 * and no other, and only with that attempt's password (the auth key), so
 * an owner who clicks the link of someone else's attempt for their address
 * verifies nothing. A later registration for an unconfirmed address
 * replaces the earlier attempt (its row, tokens and links go), so whoever
 * reads the mailbox wins, not whoever registered first. Attempts and the
 * "account exists" mail are limited per address and per IP, counted
 * before any work, alike for known and unknown addresses; no mail carries
 * a name that someone other than its recipient typed. See accounts.h.
 */
#include "util/common.h"

#include <sodium.h>

#include "db/db.h"
#include "db/users_db.h"
#include "db/tokens_db.h"
#include "db/ratelimit_db.h"
#include "domain/accounts.h"
#include "domain/accounts_int.h"
#include "domain/email.h"
#include "domain/kt.h"
#include "domain/orgs.h"
#include "util/metrics.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/secrets.h"

#define MAIL_WINDOW 3600

int
acct_mails_limited(
    const struct acct_env *env, const char *email, int64_t *retry)
{
	char key[EMAIL_MAX + 80];
	struct db_conn *c = db_get(env->db);
	int over = -1, ip, addr;

	if (db_begin(c) == DB_OK) {
		snprintf(key, sizeof(key), "mail-ip:%s", env->ip);
		ip = acct_limited(c, key, MAIL_WINDOW,
		    env->cfg->accounts_mails_per_ip_hour, retry);
		/* Both count, so one IP cannot spread over many addresses
		 * nor many IPs pile onto one. After a failed statement the
		 * transaction takes no more (PostgreSQL: 25P02): stop. */
		addr = -1;
		if (ip != -1) {
			snprintf(key, sizeof(key), "mail:%s", email);
			addr = acct_limited(c, key, MAIL_WINDOW,
			    env->cfg->accounts_mails_per_hour, retry);
		}
		/* Not counted is not under the limit (a database fault). */
		if (ip == -1 || addr == -1 || db_commit(c) != DB_OK)
			db_rollback(c);
		else
			over = ip == 1 || addr == 1;
	}
	db_put(c);
	return over;
}

/* The registration itself, inside the caller's transaction. */
static enum acct_status
register_tx(struct db_conn *c, const struct acct_env *env, struct user *nu)
{
	struct user old;
	int found = users_by_email(c, nu->email, &old), rc;

	if (found == -1)
		return ACCT_ERROR;
	if (found == 1 && old.verified) {
		/* Never say so: tell the owner, by the owner's own name. */
		rc = acct_queue_mail(c, env, "exists", old.lang, old.email,
		    old.name, "/wachtwoord-vergeten", NULL, NULL);
		acct_audit(c, env, old.id, "account.register_existing", NULL);
		user_release(&old);
		return rc == 0 ? ACCT_ACCEPTED : ACCT_ERROR;
	}
	if (found == 1) {
		/* An unconfirmed attempt: replaced, with its links (the tokens
		 * go with the row), so it can never be verified or used. */
		if (tokens_delete_user(c, old.id, NULL) != DB_OK ||
		    users_delete_unverified(c, old.id) != DB_OK ||
		    db_changes(c) != 1) {
			user_release(&old);
			return ACCT_ERROR;
		}
		acct_audit(c, env, old.id, "account.attempt_replaced", NULL);
		user_release(&old);
	}
	switch (users_insert(c, nu, clock_now())) {
	case DB_OK:
		break;
	case DB_CONSTRAINT: /* a user id that is taken */
		return ACCT_BAD_USER_ID;
	default:
		return ACCT_ERROR;
	}
	/* Whoever reads this mail may not be who registered: no name. It is
	 * in the language of the page the attempt was made on. */
	if (acct_mail_token(c, env, nu->id, nu->lang, nu->email, NULL, "verify",
	        "/verifieren", env->cfg->accounts_verify_ttl) == -1)
		return ACCT_ERROR;
	acct_audit(c, env, nu->id, "account.registered", nu->email);
	return ACCT_ACCEPTED;
}

enum acct_status
accounts_register(const struct acct_env *env, const struct acct_register *r,
    int64_t *retry_after)
{
	char email[EMAIL_MAX + 1], verifier[PW_VERIFIER_MAX],
	    kid[RAND_ID_LEN + 1];
	const char *domain, *why;
	struct user nu = { 0 };
	struct db_conn *c;
	enum acct_status st;
	int conn, limited;

	if (email_normalise(r->email, email, sizeof(email), &domain, &why) ==
	    -1)
		return ACCT_BAD_EMAIL;
	if (!accounts_name_ok(r->name))
		return ACCT_BAD_NAME;
	if (!r->password_ok)
		return ACCT_WEAK_PASSWORD;
	if (!acct_kdf_ok(&r->keys))
		return ACCT_WEAK_KDF;
	c = db_get(env->db);
	conn = orgs_is_connected(c, domain);
	db_put(c);
	if (conn != 1)
		return conn == 0 ? ACCT_DOMAIN : ACCT_ERROR;
	if ((limited = acct_mails_limited(env, email, retry_after)) != 0)
		return limited == 1 ? ACCT_LIMITED : ACCT_ERROR;
	/* The costly hash runs for known and unknown addresses alike. */
	switch (password_make(env->sec->pepper, r->auth_key, verifier)) {
	case PW_OK:
		break;
	case PW_BUSY:
		return ACCT_BUSY;
	default:
		return ACCT_ERROR;
	}
	if (user_key_id_of(r->keys.x25519_pk, kid) == -1)
		return ACCT_ERROR;
	snprintf(nu.id, sizeof(nu.id), "%s", r->user_id);
	nu.email = email;
	nu.name = (char *)(uintptr_t)r->name;
	nu.verifier = verifier;
	nu.key_id = kid;
	nu.keys = r->keys;
	snprintf(nu.lang, sizeof(nu.lang), "%s", i18n_lang(r->lang));
	c = db_get(env->db);
	if (db_begin(c) != DB_OK)
		st = ACCT_ERROR;
	else if ((st = register_tx(c, env, &nu)) == ACCT_ACCEPTED &&
	    db_commit(c) == DB_OK)
		metrics_count("registrations");
	else {
		db_rollback(c);
		if (st == ACCT_ACCEPTED)
			st = ACCT_ERROR;
	}
	/* One way out: the verifier is wiped on every path. */
	db_put(c);
	sodium_memzero(verifier, sizeof(verifier));
	return st;
}

enum acct_status
accounts_verify_info(
    const struct acct_env *env, const char *token, struct user *u)
{
	char hash[ACCT_SESSION_LEN + 1], uid[RAND_ID_LEN + 1];
	struct db_conn *c = db_get(env->db);
	enum acct_status st;
	int found;

	acct_token_hash(env->sec, token, hash);
	st = acct_token_status(
	    tokens_peek(c, hash, "verify", clock_now(), uid));
	if (st == ACCT_OK) {
		found = users_by_id(c, uid, u);
		if (found == 1 && u->verified) {
			user_release(u);
			found = 0;
		}
		st = found == 1 ? ACCT_OK :
		    found == 0  ? ACCT_TOKEN_INVALID :
		                  ACCT_ERROR;
	}
	db_put(c);
	return st;
}

/* bootstrap.admin_email becomes an administrator when it is verified. */
static int
first_admin(struct db_conn *c, const struct acct_env *env, const char *uid)
{
	const char *admin = env->cfg->bootstrap_admin_email;

	if (admin[0] == '\0')
		return 0;
	if (users_promote_if_email(c, uid, admin) != DB_OK)
		return -1;
	if (db_changes(c) == 1)
		acct_audit(
		    c, env, uid, "user.promoted", "bootstrap.admin_email");
	return 0;
}

/*
 * The token is used and the attempt it was mailed for becomes the account:
 * its keys are published from now on (the directory, and a leaf in the
 * key-transparency log), which its owner hears by mail with their six
 * words (SECURITY.md 1.8).
 */
static enum acct_status
verify_tx(struct db_conn *c, const struct acct_env *env, const char *hash,
    const struct user *u)
{
	char uid[RAND_ID_LEN + 1], words[64], key[EMAIL_MAX + 80];
	enum acct_status st;

	st = acct_token_status(tokens_use(c, hash, "verify", clock_now(), uid));
	if (st != ACCT_OK)
		return st;
	if (strcmp(uid, u->id) != 0) /* replaced in between */
		return ACCT_TOKEN_INVALID;
	if (users_set_verified(c, uid, clock_now()) != DB_OK ||
	    db_changes(c) != 1)
		return ACCT_TOKEN_INVALID;
	/* Published from now on: its leaf in the key-transparency log, in
	 * this transaction (docs/transparency.md, "Appends"). */
	if (kt_publish_user(c, env->sec->log, uid, TLOG_EV_ACCOUNT) != 0)
		return ACCT_ERROR;
	acct_key_words(u->key_id, words, sizeof(words));
	/* A right password ends the count, as a login does. */
	snprintf(key, sizeof(key), "login:%s", u->email);
	if (ratelimit_clear(c, key) != DB_OK)
		return ACCT_ERROR;
	snprintf(key, sizeof(key), "login-ip:%s", env->ip);
	if (ratelimit_undo(c, key, ACCT_LOGIN_WINDOW, clock_now()) != DB_OK ||
	    first_admin(c, env, uid) != 0 ||
	    tokens_delete_user(c, uid, "verify") != DB_OK ||
	    acct_queue_mail(c, env, "keys_published", u->lang, u->email,
	        u->name, "/", NULL, words) != 0)
		return ACCT_ERROR;
	acct_audit(c, env, uid, "account.verified", u->key_id);
	return ACCT_OK;
}

enum acct_status
accounts_verify(const struct acct_env *env, const char *token,
    const unsigned char auth_key[PW_AUTH_KEY_LEN], int64_t *retry_after)
{
	char hash[ACCT_SESSION_LEN + 1];
	struct db_conn *c;
	enum acct_status st;
	enum pw_result pw;
	struct user u;
	int limited;

	if ((st = accounts_verify_info(env, token, &u)) != ACCT_OK)
		return st;
	/* Guessing the attempt's password is guessing a login. */
	if ((limited = acct_login_limited(env, u.email, retry_after)) != 0) {
		st = limited == 1 ? ACCT_LIMITED : ACCT_ERROR;
		goto release;
	}
	pw = password_check(env->sec->pepper, auth_key, u.verifier);
	if (pw != PW_OK) {
		c = db_get(env->db);
		if (pw == PW_MISMATCH)
			acct_audit(c, env, u.id, "account.verify_failed", NULL);
		db_put(c);
		st = pw == PW_BUSY    ? ACCT_BUSY :
		    pw == PW_MISMATCH ? ACCT_BAD_LOGIN :
		                        ACCT_ERROR;
		goto release;
	}
	acct_token_hash(env->sec, token, hash);
	c = db_get(env->db);
	if (db_begin(c) != DB_OK)
		st = ACCT_ERROR;
	else if ((st = verify_tx(c, env, hash, &u)) != ACCT_OK ||
	    db_commit(c) != DB_OK) {
		db_rollback(c);
		if (st == ACCT_OK)
			st = ACCT_ERROR;
	}
	db_put(c);
release:
	user_release(&u);
	return st;
}

/* A new link for the newest attempt: it verifies that attempt, and only
 * with that attempt's password. */
static int
unverified(const struct user *u)
{
	return !u->verified;
}

enum acct_status
accounts_resend(const struct acct_env *env, const char *email_in)
{
	const struct acct_link how = { .kind = "verify",
		.path = "/verifieren",
		.ttl = env->cfg->accounts_verify_ttl,
		.wanted = unverified,
		.greet_by_name = 0 };

	return acct_mail_link(env, email_in, &how);
}
