/*
 * The second factor (A8, SECURITY.md §3 #12): passkeys and security keys
 * (WebAuthn, webauthn.h), an authenticator app (TOTP, totp.h) and
 * recovery codes. Any account may enrol one; an administrator must. With
 * a factor enrolled, a login asks for it before any session exists (the
 * wrapped keys too wait for it: the password alone opens nothing), and
 * a session that proved one counts as fresh for FACTOR_FRESH seconds,
 * which administrator routes require (factors_admin_gate).
 *
 * Changing the factors of an account that has one needs a fresh factor;
 * each change is audited and mailed to the account's owner.
 */
#ifndef ST_FACTORS_H
#define ST_FACTORS_H

#include <stddef.h>
#include <stdint.h>

#include "domain/accounts.h"
#include "domain/result.h"
#include "domain/totp.h"

#define FACTOR_FRESH 900 /* seconds: the step-up window of admin routes */
#define FACTOR_LOGIN_TTL 300 /* seconds to give the factor at login */
#define FACTOR_CHALLENGE_TTL 300 /* seconds a WebAuthn challenge lives */
#define FACTOR_FAILURES 5 /* wrong factors per account per 15 minutes */
#define FACTOR_ADMIN_RATE 300 /* administrator requests per minute */
#define FACTOR_CODES 10 /* recovery codes in a set */
#define FACTOR_CODE_LEN 11 /* "abcde-fghij" */
#define FACTOR_NAME_MAX 64 /* characters of a credential's name */
#define FACTOR_URI_MAX 512

/* What proves a factor: one of a TOTP code, a recovery code or an
 * assertion (all b64u). NULL for what is not given. */
struct factor_proof {
	const char *totp;
	const char *recovery;
	const char *credential_id, *client_data, *auth_data, *signature;
};

struct factor_cred_info {
	char *id, *name;
	int64_t created_at, last_used_at;
};

struct factor_summary {
	int webauthn_available; /* public_url's host is a name, not an IP */
	struct factor_cred_info *creds;
	size_t ncreds;
	int totp; /* an authenticator app is confirmed */
	int64_t totp_since;
	int64_t recovery_left;
	int enrolled; /* a credential or the app */
	int64_t fresh_until; /* this session's step-up window; 0 none */
};

/* WebAuthn options for the browser (navigator.credentials). */
struct factor_options {
	char challenge[RAND_TOKEN_LEN + 1]; /* b64u of 32 bytes */
	char rp_id[256];
	char **cred_ids; /* allow (get) or exclude (create) list */
	size_t ncred_ids;
	int totp; /* login: the app may be used */
	int recovery; /* login: recovery codes are left */
};

/* A fresh set of recovery codes, shown once. */
struct factor_codes {
	char code[FACTOR_CODES][FACTOR_CODE_LEN + 1];
	int made; /* 0: none were made by this call */
};

void factor_summary_release(struct factor_summary *s);
void factor_options_release(struct factor_options *o);

struct st_result factors_summary(const struct acct_env *env,
    const struct user *u, const char *session_hash, struct factor_summary *out);

/* 1 when the user has a credential or a confirmed app, 0 not, -1. */
int factors_enrolled(const struct acct_env *env, const char *user_id);

/*
 * WebAuthn: a challenge for purpose "register" (a new credential; needs a
 * fresh factor when one is enrolled) or "verify" (a step-up), kept for
 * this session. ST_CONFLICT "webauthn_unavailable" when the public
 * URL's host cannot be a relying party (an IP address).
 */
struct st_result factors_webauthn_begin(const struct acct_env *env,
    const struct user *u, const char *session_hash, const char *purpose,
    struct factor_options *out);
/* Stores the credential of a registration answering that challenge. */
struct st_result factors_webauthn_add(const struct acct_env *env,
    const struct user *u, const char *session_hash, const char *name,
    const char *client_data, const char *att_obj, struct factor_codes *codes);
struct st_result factors_webauthn_remove(const struct acct_env *env,
    const struct user *u, const char *session_hash, const char *cred_id);

/* TOTP: a new secret (base32) and its otpauth:// URI, not yet active. */
struct st_result factors_totp_begin(const struct acct_env *env,
    const struct user *u, const char *session_hash,
    char secret_b32[TOTP_B32_LEN + 1], char uri[FACTOR_URI_MAX]);
/* Activates it with a first code from the app. */
struct st_result factors_totp_confirm(const struct acct_env *env,
    const struct user *u, const char *session_hash, const char *code,
    struct factor_codes *codes);
struct st_result factors_totp_remove(
    const struct acct_env *env, const struct user *u, const char *session_hash);

/* A new set of recovery codes in place of the old (fresh factor). */
struct st_result factors_recovery_new(const struct acct_env *env,
    const struct user *u, const char *session_hash, struct factor_codes *codes);

/* Step-up: proves a factor for this session (FACTOR_FRESH seconds). */
struct st_result factors_verify(const struct acct_env *env,
    const struct user *u, const char *session_hash,
    const struct factor_proof *p);

/*
 * Who may use an administrator route: ST_OK; ST_FORBIDDEN
 * "not_admin" or "enrol_second_factor" (an administrator without one);
 * ST_UNAUTHORIZED "step_up_required" when this session's factor is older
 * than FACTOR_FRESH seconds; ST_LIMITED past FACTOR_ADMIN_RATE
 * requests a minute.
 */
struct st_result factors_admin_gate(
    const struct acct_env *env, const struct user *u, const char *session_hash);

/*
 * Login (accounts_login calls the first): after the password, a token for
 * the browser that stands for "password right, factor owed" for
 * FACTOR_LOGIN_TTL seconds. old_hash: the session to replace at the end.
 */
int factors_login_begin(const struct acct_env *env, const struct user *u,
    const char *old_hash, char token[RAND_TOKEN_LEN + 1]);
/* What the login page offers for token: WebAuthn options, app, codes. */
struct st_result factors_login_options(
    const struct acct_env *env, const char *token, struct factor_options *out);
/* Proves the factor for token: the session (u filled, user_release it). */
struct st_result factors_login_finish(const struct acct_env *env,
    const char *token, const struct factor_proof *p, struct user *u,
    struct acct_session *s);

#endif
