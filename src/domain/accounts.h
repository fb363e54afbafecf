/*
 * Employee accounts (A1-A6; SECURITY.md 1.7). The browser derives an auth
 * key and wraps its keys; these functions check, store and verify what it
 * sends, hand out sessions, and queue the mails, each change and its mail
 * in one transaction. Answers never tell whether an address has an
 * account: register, resend, pre-login and forgot behave the same for
 * known and unknown addresses. Registration and verification
 * (accounts_reg.c) are safe against pre-hijacking: a verification link
 * verifies the attempt it was mailed for, with that attempt's password,
 * and a new registration for an unconfirmed address replaces the old
 * attempt.
 */
#ifndef ST_ACCOUNTS_H
#define ST_ACCOUNTS_H

#include <stdint.h>

#include "domain/password.h"
#include "domain/result.h"
#include "domain/user.h"

struct config;
struct db;
struct secrets;

struct acct_env {
	const struct config *cfg;
	struct db *db;
	const struct secrets *sec;
	const char *ip;
	const char *agent;
};

enum acct_status {
	ACCT_OK,
	ACCT_ACCEPTED, /* 202: if the address may, a mail is on its way */
	ACCT_BAD_EMAIL,
	ACCT_DOMAIN, /* not a connected organisation */
	ACCT_WEAK_KDF, /* KDF parameters below the floor */
	ACCT_WEAK_PASSWORD, /* the browser's policy check did not pass */
	ACCT_BAD_NAME,
	ACCT_BAD_LANG, /* a language other than nl or en */
	ACCT_BAD_LOGIN, /* unknown address or wrong password */
	ACCT_NOT_VERIFIED,
	ACCT_LIMITED, /* rate limit: see retry_after */
	ACCT_BUSY, /* Argon2 pool saturated: 503 */
	ACCT_TOKEN_INVALID, /* unknown or already used */
	ACCT_TOKEN_EXPIRED,
	ACCT_BAD_USER_ID, /* the user id is taken */
	ACCT_BLOCKED, /* blocked by an administrator (O6) */
	ACCT_SECOND_FACTOR, /* password right; the factor is owed (A8) */
	ACCT_ERROR
};

/*
 * The result an outcome other than ACCT_OK, ACCT_ACCEPTED and
 * ACCT_SECOND_FACTOR stands for: its status, API code and message.
 * retry_after: seconds for ACCT_LIMITED (0: a minute).
 */
struct st_result acct_result(enum acct_status st, int64_t retry_after);

#define ACCT_KDF_MIN_M 65536 /* KiB: 64 MiB */
#define ACCT_KDF_MIN_T 3
#define ACCT_SESSION_LEN 43

struct acct_register {
	const char *email;
	const char *name;
	const char *user_id;
	unsigned char auth_key[PW_AUTH_KEY_LEN];
	int password_ok; /* the browser checked A2 */
	struct user_keys keys; /* borrowed */
	const char *lang; /* the page's language; NULL: Dutch (U1) */
};

struct acct_prelogin {
	char user_id[RAND_ID_LEN + 1];
	char salt[RAND_ID_LEN + 1];
	int64_t m, t, p;
};

struct acct_session {
	char token[ACCT_SESSION_LEN + 1]; /* the cookie value */
	char hash[ACCT_SESSION_LEN + 1]; /* what the DB keeps */
};

/* Hash of a session cookie value as stored (HMAC under server.key). */
void accounts_session_hash(const struct secrets *sec, const char *token,
    char out[ACCT_SESSION_LEN + 1]);

/*
 * A registration attempt (ACCT_ACCEPTED: a mail is on its way, or the
 * address already has an account and its owner is told). Replaces an
 * unconfirmed attempt for the address. Counted per address and per IP
 * before any work: ACCT_LIMITED with *retry_after.
 */
enum acct_status accounts_register(const struct acct_env *env,
    const struct acct_register *r, int64_t *retry_after);
/* The attempt a verification token is for (u filled on ACCT_OK): its
 * address, user id and KDF salt, to derive its auth key. */
enum acct_status accounts_verify_info(
    const struct acct_env *env, const char *token, struct user *u);
/*
 * Verifies the attempt the token was mailed for if auth_key is that
 * attempt's (ACCT_BAD_LOGIN otherwise, the token stays usable; counted as
 * a failed login: ACCT_LIMITED with *retry_after). Its keys are then
 * published and its owner mailed the fingerprint words.
 */
enum acct_status accounts_verify(const struct acct_env *env, const char *token,
    const unsigned char auth_key[PW_AUTH_KEY_LEN], int64_t *retry_after);
/* A new link for the newest unconfirmed attempt of the address. */
enum acct_status accounts_resend(const struct acct_env *env, const char *email);
void accounts_prelogin(
    const struct acct_env *env, const char *email, struct acct_prelogin *out);
/*
 * On ACCT_OK fills u (user_release it) and s; old_hash (may be NULL) is
 * the session being replaced. On ACCT_LIMITED sets *retry_after. On
 * ACCT_SECOND_FACTOR (u not filled) s->token is the login token that
 * factors_login_finish (domain/factors.h) takes with the factor.
 */
enum acct_status accounts_login(const struct acct_env *env, const char *email,
    const unsigned char auth_key[PW_AUTH_KEY_LEN], const char *old_hash,
    struct user *u, struct acct_session *s, int64_t *retry_after);
void accounts_logout(
    const struct acct_env *env, const struct user *u, const char *hash);
enum acct_status accounts_set_name(
    const struct acct_env *env, const struct user *u, const char *name);
/* The account's language for its pages and mails, "nl" or "en" (U1). */
enum acct_status accounts_set_lang(
    const struct acct_env *env, const struct user *u, const char *lang);
enum acct_status accounts_change_password(const struct acct_env *env,
    const struct user *u, const char *keep_hash,
    const unsigned char current[PW_AUTH_KEY_LEN],
    const unsigned char next[PW_AUTH_KEY_LEN], const struct user_keys *k,
    int64_t *retry_after);
enum acct_status accounts_forgot(const struct acct_env *env, const char *email);
/* The account a reset token is for (u filled on ACCT_OK). */
enum acct_status accounts_reset_info(
    const struct acct_env *env, const char *token, struct user *u);
/* new_keys: the recovery key was lost and k carries all new keys. */
enum acct_status accounts_reset(const struct acct_env *env, const char *token,
    int new_keys, const unsigned char auth[PW_AUTH_KEY_LEN],
    const struct user_keys *k);

/* Checks a name for display (1..100 characters, no control characters). */
int accounts_name_ok(const char *name);

#endif
