/*
 * Registration, verification, pre-login and login; the password flows
 * are in accounts_pw.c. See accounts.h.
 */
#include "util/common.h"

#include <sodium.h>

#include "db/db.h"
#include "db/users.h"
#include "domain/accounts.h"
#include "domain/accounts_int.h"
#include "domain/email.h"
#include "domain/orgs.h"
#include "http/metrics.h"
#include "notify/outbox.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/secrets.h"

void
accounts_session_hash(const struct secrets *sec, const char *token,
    char out[ACCT_SESSION_LEN + 1])
{
	secrets_keyed_hash(sec, "session", token, out);
}

void
acct_token_hash(const struct secrets *sec, const char *token,
    char out[ACCT_SESSION_LEN + 1])
{
	secrets_keyed_hash(sec, "mail-token", token, out);
}

int
accounts_name_ok(const char *name)
{
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)name;

	if (*p == '\0' || *p == ' ')
		return 0;
	for (; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return 0;
		if ((*p & 0xc0) != 0x80)
			n++; /* count characters, not bytes */
	}
	return n <= 100 && p[-1] != ' ';
}

int
acct_queue_mail(struct db_conn *c, const struct acct_env *env, const char *kind,
    const char *lang, const char *to, const char *to_name, const char *path,
    const char *token)
{
	char link[1024];
	const char *params[] = { "name", to_name, "link", link, "service",
		"SecureTransfer", "email", to, NULL };
	int rc;

	snprintf(link, sizeof(link), "%s%s%s%s", env->cfg->server_public_url,
	    path != NULL ? path : "/", token != NULL ? "#" : "",
	    token != NULL ? token : "");
	rc = outbox_queue_text(
	    c, env->sec->outbox_key, kind, lang, params, to, to_name, NULL);
	sodium_memzero(link, sizeof(link));
	return rc;
}

/* A new single-use token of kind for the user, queued in a mail. */
int
acct_mail_token(struct db_conn *c, const struct acct_env *env,
    const struct user *u, const char *kind, const char *path, int64_t ttl)
{
	char token[RAND_TOKEN_LEN + 1], hash[ACCT_SESSION_LEN + 1];
	int64_t now = clock_now();
	int rc = -1;

	rand_token(token);
	acct_token_hash(env->sec, token, hash);
	if (tokens_insert(c, hash, kind, u->id, now, now + ttl) == DB_OK &&
	    acct_queue_mail(
	        c, env, kind, u->lang, u->email, u->name, path, token) == 0)
		rc = 0;
	sodium_memzero(token, sizeof(token));
	return rc;
}

int
acct_limited(struct db_conn *c, const char *key, int64_t window, int64_t limit,
    int64_t *retry_after)
{
	int64_t now = clock_now(), n = ratelimit_hit(c, key, window, now);

	if (n < 0 || n <= limit)
		return 0;
	if (retry_after != NULL)
		*retry_after = window - now % window;
	return 1;
}

void
acct_audit(struct db_conn *c, const struct acct_env *env, const char *actor,
    const char *kind, const char *subject)
{
	if (audit_add(c, actor, env->ip, kind, subject, NULL) != DB_OK)
		log_error("audit write failed", "{s:s}", "kind", kind);
}

int
acct_kdf_ok(const struct user_keys *k)
{
	return k->kdf_m >= ACCT_KDF_MIN_M && k->kdf_m <= 4194304 &&
	    k->kdf_t >= ACCT_KDF_MIN_T && k->kdf_t <= 64 && k->kdf_p == 1;
}

/* The registration itself, inside the caller's transaction. */
static enum acct_status
register_tx(struct db_conn *c, const struct acct_env *env, struct user *nu)
{
	struct user old;
	int found = users_by_email(c, nu->email, &old);
	int64_t now = clock_now();

	if (found == -1)
		return ACCT_ERROR;
	if (found == 1) {
		/* Never say so: mail the owner instead. An unverified
		 * registration blocks the address until it expires. */
		int stale = !old.verified;
		char olang[3];

		/* The owner reads the mail: in the owner's language. */
		snprintf(olang, sizeof(olang), "%s", old.lang);
		if (stale) {
			user_release(&old);
			if (db_exec(c,
			        "DELETE FROM users WHERE email = $1 AND "
			        "verified_at IS NULL AND created_at < $2",
			        DB_PARAMS(DB_TEXT(nu->email),
			            DB_INT(now -
			                env->cfg->accounts_verify_ttl))) !=
			    DB_OK)
				return ACCT_ERROR;
			if (db_changes(c) == 1)
				goto insert;
			return acct_queue_mail(c, env, "pending", olang,
			           nu->email, nu->name, "/inloggen",
			           NULL) == 0 ?
			    ACCT_ACCEPTED :
			    ACCT_ERROR;
		}
		user_release(&old);
		return acct_queue_mail(c, env, "exists", olang, nu->email,
		           nu->name, "/wachtwoord-vergeten", NULL) == 0 ?
		    ACCT_ACCEPTED :
		    ACCT_ERROR;
	}
insert:
	if (users_insert(c, nu, now) != DB_OK)
		return ACCT_ERROR;
	if (acct_mail_token(c, env, nu, "verify", "/verifieren",
	        env->cfg->accounts_verify_ttl) == -1)
		return ACCT_ERROR;
	acct_audit(c, env, nu->id, "account.registered", nu->email);
	return ACCT_ACCEPTED;
}

enum acct_status
accounts_register(const struct acct_env *env, const struct acct_register *r)
{
	char email[EMAIL_MAX + 1], verifier[PW_VERIFIER_MAX],
	    kid[RAND_ID_LEN + 1];
	const char *domain, *why;
	struct user nu = { 0 };
	struct db_conn *c;
	enum acct_status st;
	int conn;

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
	if (db_begin(c) != DB_OK) {
		db_put(c);
		return ACCT_ERROR;
	}
	st = register_tx(c, env, &nu);
	if (st == ACCT_ACCEPTED && db_commit(c) == DB_OK)
		metrics_count("registrations");
	else {
		db_rollback(c);
		st = ACCT_ERROR;
	}
	db_put(c);
	sodium_memzero(verifier, sizeof(verifier));
	return st;
}

/* bootstrap.admin_email becomes an administrator when it is verified. */
static int
first_admin(struct db_conn *c, const struct acct_env *env, const char *uid)
{
	const char *admin = env->cfg->bootstrap_admin_email;

	if (admin[0] == '\0')
		return 0;
	if (db_exec(c,
	        "UPDATE users SET is_admin = 1 WHERE id = $1 AND "
	        "email = $2",
	        DB_PARAMS(DB_TEXT(uid), DB_TEXT(admin))) != DB_OK)
		return -1;
	if (db_changes(c) == 1)
		acct_audit(
		    c, env, uid, "user.promoted", "bootstrap.admin_email");
	return 0;
}

enum acct_status
accounts_verify(const struct acct_env *env, const char *token)
{
	char hash[ACCT_SESSION_LEN + 1], uid[RAND_ID_LEN + 1];
	struct db_conn *c = db_get(env->db);
	enum acct_status st = ACCT_ERROR;

	acct_token_hash(env->sec, token, hash);
	if (db_begin(c) != DB_OK)
		goto out;
	switch (tokens_use(c, hash, "verify", clock_now(), uid)) {
	case TOKEN_OK:
		if (users_set_verified(c, uid, clock_now()) == DB_OK &&
		    first_admin(c, env, uid) == 0) {
			acct_audit(c, env, uid, "account.verified", NULL);
			st = ACCT_OK;
		}
		break;
	case TOKEN_EXPIRED:
		st = ACCT_TOKEN_EXPIRED;
		break;
	case TOKEN_UNKNOWN:
	case TOKEN_USED:
		st = ACCT_TOKEN_INVALID;
		break;
	case TOKEN_ERROR:
		break;
	}
	if (st == ACCT_OK && db_commit(c) == DB_OK)
		goto out;
	db_rollback(c);
	if (st == ACCT_OK)
		st = ACCT_ERROR;
out:
	db_put(c);
	return st;
}

enum acct_status
accounts_resend(const struct acct_env *env, const char *email_in)
{
	char email[EMAIL_MAX + 1], key[EMAIL_MAX + 16];
	const char *domain, *why;
	struct user u;
	struct db_conn *c;
	int found;

	if (email_normalise(email_in, email, sizeof(email), &domain, &why) ==
	    -1)
		return ACCT_BAD_EMAIL;
	c = db_get(env->db);
	snprintf(key, sizeof(key), "mail:%s", email);
	if (db_begin(c) != DB_OK)
		goto fail;
	if (acct_limited(
	        c, key, 3600, env->cfg->accounts_mails_per_hour, NULL)) {
		db_commit(c); /* keep the count */
		db_put(c);
		return ACCT_ACCEPTED;
	}
	found = users_by_email(c, email, &u);
	if (found == 1 && !u.verified &&
	    acct_mail_token(c, env, &u, "verify", "/verifieren",
	        env->cfg->accounts_verify_ttl) == -1) {
		user_release(&u);
		db_rollback(c);
		goto fail;
	}
	if (found == 1)
		user_release(&u);
	if (found == -1 || db_commit(c) != DB_OK) {
		db_rollback(c);
		goto fail;
	}
	db_put(c);
	return ACCT_ACCEPTED;
fail:
	db_put(c);
	return ACCT_ERROR;
}

/* For unknown addresses: stable values from HMAC(server.key, email). */
static void
fake_prelogin(
    const struct acct_env *env, const char *email, struct acct_prelogin *out)
{
	char h[ACCT_SESSION_LEN + 1];
	unsigned char raw[32];

	secrets_keyed_hash(env->sec, "prelogin-user", email, h);
	(void)b64u_decode(raw, sizeof(raw), h, strlen(h));
	b64u_encode(out->user_id, sizeof(out->user_id), raw, 16);
	secrets_keyed_hash(env->sec, "prelogin-salt", email, h);
	(void)b64u_decode(raw, sizeof(raw), h, strlen(h));
	b64u_encode(out->salt, sizeof(out->salt), raw, 16);
	out->m = ACCT_KDF_MIN_M;
	out->t = ACCT_KDF_MIN_T;
	out->p = 1;
}

void
accounts_prelogin(
    const struct acct_env *env, const char *email_in, struct acct_prelogin *out)
{
	char email[EMAIL_MAX + 1];
	const char *domain, *why;
	struct user u;
	struct db_conn *c;
	int found;

	if (email_normalise(email_in, email, sizeof(email), &domain, &why) ==
	    -1)
		snprintf(email, sizeof(email), "%.*s", EMAIL_MAX, email_in);
	c = db_get(env->db);
	found = users_by_email(c, email, &u);
	db_put(c);
	if (found == 1 && u.keys.kdf_salt != NULL) {
		snprintf(out->user_id, sizeof(out->user_id), "%s", u.id);
		snprintf(out->salt, sizeof(out->salt), "%s", u.keys.kdf_salt);
		out->m = u.keys.kdf_m;
		out->t = u.keys.kdf_t;
		out->p = u.keys.kdf_p;
	} else
		fake_prelogin(env, email, out);
	if (found == 1)
		user_release(&u);
}
