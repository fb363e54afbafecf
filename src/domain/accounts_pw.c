/*
 * Login, logout and the password flows: change, forgot, reset with or
 * without the recovery key (SECURITY.md 1.7). See accounts.h.
 */
#include "util/common.h"

#include <sodium.h>

#include "db/db.h"
#include "db/factors_db.h"
#include "db/keyrings_db.h"
#include "db/staff_db.h"
#include "db/users_db.h"
#include "db/sessions_db.h"
#include "db/tokens_db.h"
#include "db/ratelimit_db.h"
#include "domain/accounts.h"
#include "domain/accounts_int.h"
#include "domain/email.h"
#include "domain/kt.h"
#include "domain/factors.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/secrets.h"

int
acct_login_limited(
    const struct acct_env *env, const char *email, int64_t *retry_after)
{
	char key[EMAIL_MAX + 80];
	struct db_conn *c = db_get(env->db);
	int over;

	snprintf(key, sizeof(key), "login-ip:%s", env->ip);
	over = acct_limited(c, key, ACCT_LOGIN_WINDOW,
	    env->cfg->accounts_login_ip_failures, retry_after);
	snprintf(key, sizeof(key), "login:%s", email);
	if (!over)
		over = acct_limited(c, key, ACCT_LOGIN_WINDOW,
		    env->cfg->accounts_login_failures, retry_after);
	db_put(c);
	return over;
}

enum acct_status
acct_start_session(const struct acct_env *env, const struct user *u,
    const char *old_hash, struct acct_session *s, int64_t factor_at)
{
	char key[EMAIL_MAX + 16], ipkey[96];
	struct db_conn *c = db_get(env->db);
	enum acct_status st = ACCT_ERROR;

	rand_token(s->token);
	accounts_session_hash(env->sec, s->token, s->hash);
	snprintf(key, sizeof(key), "login:%s", u->email);
	snprintf(ipkey, sizeof(ipkey), "login-ip:%s", env->ip);
	if (db_begin(c) != DB_OK)
		goto out;
	/* The session id changes at login (ASVS 3.2.1). */
	if ((old_hash == NULL || sessions_delete(c, old_hash) == DB_OK) &&
	    ratelimit_clear(c, key) == DB_OK &&
	    /* The per-IP limit is on failures: many colleagues behind one
	     * NAT all logging in at nine must not lock each other out. */
	    ratelimit_undo(c, ipkey, ACCT_LOGIN_WINDOW, clock_now()) == DB_OK &&
	    sessions_insert(
	        c, s->hash, u->id, clock_now(), env->ip, env->agent) == DB_OK &&
	    (factor_at == 0 ||
	        fdb_session_set_factor_at(c, s->hash, factor_at) == DB_OK) &&
	    staff_db_logged_in(c, u->id, clock_now()) == DB_OK) {
		acct_audit(c, env, u->id, "login.ok", NULL);
		if (db_commit(c) == DB_OK)
			st = ACCT_OK;
	}
	if (st != ACCT_OK)
		db_rollback(c);
out:
	db_put(c);
	return st;
}

enum acct_status
accounts_login(const struct acct_env *env, const char *email_in,
    const unsigned char auth_key[PW_AUTH_KEY_LEN], const char *old_hash,
    struct user *u, struct acct_session *s, int64_t *retry_after)
{
	char email[EMAIL_MAX + 1];
	const char *domain, *why;
	struct db_conn *c;
	enum pw_result pw;
	enum acct_status st;
	int found = 0, limited;

	if (email_normalise(email_in, email, sizeof(email), &domain, &why) ==
	    -1)
		snprintf(email, sizeof(email), "%.*s", EMAIL_MAX, email_in);
	if ((limited = acct_login_limited(env, email, retry_after)) != 0)
		return limited == 1 ? ACCT_LIMITED : ACCT_ERROR;
	c = db_get(env->db);
	found = users_by_email(c, email, u);
	db_put(c);
	if (found == -1)
		return ACCT_ERROR;
	pw = password_check(
	    env->sec->pepper, auth_key, found == 1 ? u->verifier : NULL);
	/* From here u is filled when found == 1: every way out below
	 * releases it but the one that hands it to the session. */
	if (pw != PW_OK) {
		if (pw == PW_MISMATCH) {
			c = db_get(env->db);
			acct_audit(c, env, found == 1 ? u->id : NULL,
			    "login.failed", found == 1 ? NULL : "unknown");
			db_put(c);
		}
		st = pw == PW_BUSY    ? ACCT_BUSY :
		    pw == PW_MISMATCH ? ACCT_BAD_LOGIN :
		                        ACCT_ERROR;
		goto release;
	}
	if (!u->verified) {
		st = ACCT_NOT_VERIFIED;
		goto release;
	}
	if (u->blocked) {
		c = db_get(env->db);
		acct_audit(c, env, u->id, "login.blocked", NULL);
		db_put(c);
		st = ACCT_BLOCKED;
		goto release;
	}
	/* With a second factor enrolled the session waits for it (A8). */
	switch (factors_enrolled(env, u->id)) {
	case 1:
		st = factors_login_begin(env, u, old_hash, s->token) == 0 ?
		    ACCT_SECOND_FACTOR :
		    ACCT_ERROR;
		goto release;
	case -1:
		st = ACCT_ERROR;
		goto release;
	default:
		break;
	}
	if (acct_start_session(env, u, old_hash, s, 0) == ACCT_OK)
		return ACCT_OK; /* u is the caller's now */
	st = ACCT_ERROR;
release:
	if (found == 1)
		user_release(u);
	return st;
}

void
accounts_logout(
    const struct acct_env *env, const struct user *u, const char *hash)
{
	struct db_conn *c = db_get(env->db);

	sessions_delete(c, hash);
	acct_audit(c, env, u->id, "logout", NULL);
	db_put(c);
}

enum acct_status
accounts_set_name(
    const struct acct_env *env, const struct user *u, const char *name)
{
	struct db_conn *c;
	enum acct_status st = ACCT_ERROR;

	if (!accounts_name_ok(name))
		return ACCT_BAD_NAME;
	c = db_get(env->db);
	if (users_set_name(c, u->id, name) == DB_OK) {
		acct_audit(c, env, u->id, "account.name_changed", NULL);
		st = ACCT_OK;
	}
	db_put(c);
	return st;
}

enum acct_status
accounts_set_lang(
    const struct acct_env *env, const struct user *u, const char *lang)
{
	struct db_conn *c;
	enum acct_status st = ACCT_ERROR;

	if (strcmp(lang, "nl") != 0 && strcmp(lang, "en") != 0)
		return ACCT_BAD_LANG;
	c = db_get(env->db);
	if (users_set_lang(c, u->id, lang) == DB_OK)
		st = ACCT_OK;
	db_put(c);
	return st;
}

enum acct_status
accounts_change_password(const struct acct_env *env, const struct user *u,
    const char *keep_hash, const unsigned char current[PW_AUTH_KEY_LEN],
    const unsigned char next[PW_AUTH_KEY_LEN], const struct user_keys *k,
    int64_t *retry_after)
{
	char verifier[PW_VERIFIER_MAX];
	struct db_conn *c;
	enum pw_result pw;
	enum acct_status st = ACCT_ERROR;
	int limited;

	if (!acct_kdf_ok(k))
		return ACCT_WEAK_KDF;
	if ((limited = acct_login_limited(env, u->email, retry_after)) != 0)
		return limited == 1 ? ACCT_LIMITED : ACCT_ERROR;
	pw = password_check(env->sec->pepper, current, u->verifier);
	if (pw != PW_OK)
		return pw == PW_BUSY ? ACCT_BUSY : ACCT_BAD_LOGIN;
	if ((pw = password_make(env->sec->pepper, next, verifier)) != PW_OK)
		return pw == PW_BUSY ? ACCT_BUSY : ACCT_ERROR;
	c = db_get(env->db);
	if (db_begin(c) != DB_OK)
		goto out;
	/* Only UK is re-wrapped; no data changes (Bitwarden's user key). */
	if (users_set_password(c, u->id, k, verifier) == DB_OK &&
	    sessions_delete_user(c, u->id, keep_hash) == DB_OK &&
	    acct_queue_mail(c, env, "password_changed", u->lang, u->email,
	        u->name, "/wachtwoord-vergeten", NULL, NULL) == 0) {
		acct_audit(c, env, u->id, "password.changed", NULL);
		if (db_commit(c) == DB_OK)
			st = ACCT_OK;
	}
	if (st != ACCT_OK)
		db_rollback(c);
out:
	db_put(c);
	sodium_memzero(verifier, sizeof(verifier));
	return st;
}

/*
 * A new mail link for the account of an address, if it is the kind the
 * link is for: the same answer whether or not it is (and no mail when it
 * is not), so the answer tells nobody whether the address has an account.
 * Shared by forgot (reset) and resend (verify).
 */
enum acct_status
acct_mail_link(const struct acct_env *env, const char *email_in,
    const struct acct_link *how)
{
	char email[EMAIL_MAX + 1];
	const char *domain, *why;
	struct db_conn *c;
	struct user u;
	int64_t retry;
	enum acct_status st;
	int found, ok = 1, limited;

	if (email_normalise(email_in, email, sizeof(email), &domain, &why) ==
	    -1)
		return ACCT_BAD_EMAIL;
	if ((limited = acct_mails_limited(env, email, &retry)) != 0)
		/* Over: the same answer, and no mail; not counted: 503. */
		return limited == 1 ? ACCT_ACCEPTED : ACCT_ERROR;
	c = db_get(env->db);
	if (db_begin(c) != DB_OK) {
		db_put(c);
		return ACCT_ERROR;
	}
	found = users_by_email(c, email, &u);
	if (found == 1 && how->wanted(&u))
		ok = acct_mail_token(c, env, u.id, u.lang, u.email,
		         how->greet_by_name ? u.name : NULL, how->kind,
		         how->path, how->ttl) == 0;
	if (found == 1)
		user_release(&u);
	if (ok && found != -1 && db_commit(c) == DB_OK)
		st = ACCT_ACCEPTED;
	else {
		db_rollback(c);
		st = ACCT_ERROR;
	}
	db_put(c);
	return st;
}

/* A mailbox has no password to reset: a reset would give whoever reads
 * its mail a new key pair in its name. */
static int
resettable(const struct user *u)
{
	return u->verified && !u->is_mailbox;
}

enum acct_status
accounts_forgot(const struct acct_env *env, const char *email_in)
{
	const struct acct_link how = { .kind = "reset",
		.path = "/wachtwoord-herstellen",
		.ttl = env->cfg->accounts_reset_ttl,
		.wanted = resettable,
		.greet_by_name = 1 };

	return acct_mail_link(env, email_in, &how);
}

enum acct_status
acct_token_status(enum token_state t)
{
	switch (t) {
	case TOKEN_OK:
		return ACCT_OK;
	case TOKEN_EXPIRED:
		return ACCT_TOKEN_EXPIRED;
	case TOKEN_UNKNOWN:
	case TOKEN_USED:
		return ACCT_TOKEN_INVALID;
	default:
		return ACCT_ERROR;
	}
}

enum acct_status
accounts_reset_info(
    const struct acct_env *env, const char *token, struct user *u)
{
	char hash[ACCT_SESSION_LEN + 1], uid[RAND_ID_LEN + 1];
	struct db_conn *c = db_get(env->db);
	enum acct_status st;

	acct_token_hash(env->sec, token, hash);
	st = acct_token_status(tokens_peek(c, hash, "reset", clock_now(), uid));
	if (st == ACCT_OK && users_by_id(c, uid, u) != 1)
		st = ACCT_ERROR;
	db_put(c);
	return st;
}

static enum acct_status
reset_tx(struct db_conn *c, const struct acct_env *env, const char *hash,
    int new_keys, const struct user_keys *k, const char *verifier,
    const char *kid)
{
	char uid[RAND_ID_LEN + 1], words[64] = "";
	enum acct_status st;
	struct user u;

	if (new_keys)
		acct_key_words(kid, words, sizeof(words));
	st = acct_token_status(tokens_use(c, hash, "reset", clock_now(), uid));
	if (st != ACCT_OK)
		return st;
	if (users_by_id(c, uid, &u) != 1)
		return ACCT_ERROR;
	st = ACCT_ERROR;
	/* New keys: the keyring was sealed under the old UK, which is gone. */
	if ((new_keys ?
	            users_set_all_keys(c, uid, k, verifier, kid, clock_now()) :
	            users_set_password(c, uid, k, verifier)) == DB_OK &&
	    (!new_keys || keyrings_db_delete(c, uid) == DB_OK) &&
	    (!new_keys ||
	        kt_publish_user(c, env->sec->log, uid, TLOG_EV_RESET) == 0) &&
	    sessions_delete_user(c, uid, NULL) == DB_OK &&
	    /* A key change is mailed to the owner with the new words. */
	    acct_queue_mail(c, env,
	        new_keys ? "keys_changed" : "password_reset", u.lang, u.email,
	        u.name, "/wachtwoord-vergeten", NULL,
	        new_keys ? words : NULL) == 0) {
		acct_audit(c, env, uid, "password.reset", NULL);
		if (new_keys)
			acct_audit(c, env, uid, "keys.changed", kid);
		st = ACCT_OK;
	}
	user_release(&u);
	return st;
}

enum acct_status
accounts_reset(const struct acct_env *env, const char *token, int new_keys,
    const unsigned char auth[PW_AUTH_KEY_LEN], const struct user_keys *k)
{
	char hash[ACCT_SESSION_LEN + 1], verifier[PW_VERIFIER_MAX];
	char kid[RAND_ID_LEN + 1] = "";
	struct db_conn *c;
	enum pw_result pw;
	enum acct_status st;

	if (!acct_kdf_ok(k))
		return ACCT_WEAK_KDF;
	if (new_keys && user_key_id_of(k->x25519_pk, kid) == -1)
		return ACCT_ERROR;
	if ((pw = password_make(env->sec->pepper, auth, verifier)) != PW_OK)
		return pw == PW_BUSY ? ACCT_BUSY : ACCT_ERROR;
	acct_token_hash(env->sec, token, hash);
	c = db_get(env->db);
	if (db_begin(c) != DB_OK) {
		db_put(c);
		return ACCT_ERROR;
	}
	st = reset_tx(c, env, hash, new_keys, k, verifier, kid);
	if (st != ACCT_OK || db_commit(c) != DB_OK) {
		db_rollback(c);
		if (st == ACCT_OK)
			st = ACCT_ERROR;
	}
	db_put(c);
	sodium_memzero(verifier, sizeof(verifier));
	return st;
}
