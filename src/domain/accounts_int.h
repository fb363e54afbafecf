/* Helpers shared by accounts.c and accounts_pw.c; not for other modules. */
#ifndef ST_ACCOUNTS_INT_H
#define ST_ACCOUNTS_INT_H

#include "db/tokens_db.h"
#include "domain/accounts.h"

struct db_conn;

#define ACCT_LOGIN_WINDOW 900 /* seconds of the login limits */

/* KDF parameters at or above the floor (SECURITY.md 1.7). */
int acct_kdf_ok(const struct user_keys *k);
void acct_token_hash(const struct secrets *sec, const char *token,
    char out[ACCT_SESSION_LEN + 1]);
/*
 * Queues mail <kind> to the address in lang ("nl" or "en"; NULL: Dutch, as
 * outbox_queue_text); path+#token form the link, words (may
 * be NULL) are a key's fingerprint words. to_name (may be NULL) greets and
 * names the recipient: never a name someone else typed.
 */
int acct_queue_mail(struct db_conn *c, const struct acct_env *env,
    const char *kind, const char *lang, const char *to, const char *to_name,
    const char *path, const char *token, const char *words);
/* A fresh single-use token of kind for account uid, mailed to `to` in
 * lang as path#token (to_name as in acct_queue_mail). */
int acct_mail_token(struct db_conn *c, const struct acct_env *env,
    const char *uid, const char *lang, const char *to, const char *to_name,
    const char *kind, const char *path, int64_t ttl);
/*
 * The login limits (per IP, per account), counted before any costly
 * check; 1 when over (sets *retry_after), -1 when the attempt cannot be
 * counted (a database fault: callers refuse it, fail closed).
 */
int acct_login_limited(
    const struct acct_env *env, const char *email, int64_t *retry_after);
/*
 * The limits of mails to an address (accounts.mails_per_hour) and of
 * mail-sending requests from the caller's IP (accounts.mails_per_ip_hour):
 * register, resend, forgot. Both counted, before any work, for known and
 * unknown addresses alike; 1 when over (sets *retry_after), -1 when it
 * cannot be counted (callers refuse, fail closed).
 */
int acct_mails_limited(
    const struct acct_env *env, const char *email, int64_t *retry_after);
/* What acct_mail_link mails, and to which account of the address. */
struct acct_link {
	const char *kind; /* the token: "verify", "reset" */
	const char *path; /* the page the link opens */
	int64_t ttl; /* seconds */
	int (*wanted)(const struct user *u); /* this account gets it */
	int greet_by_name; /* the mail names the account's owner */
};
/*
 * A new mail link (a fresh token) for the account of email_in when
 * how->wanted says so; ACCT_ACCEPTED whether or not, so the answer tells
 * nothing about the address. Counted by acct_mails_limited first.
 */
enum acct_status acct_mail_link(const struct acct_env *env,
    const char *email_in, const struct acct_link *how);
/* A token lookup as the answer to give. */
enum acct_status acct_token_status(enum token_state t);
/* The fingerprint words of a b64u key id into out (>= KEYID_WORDS_MAX
 * bytes), or "". */
void acct_key_words(const char *key_id, char *out, size_t len);
/* Counts one hit on key; 1 when over limit (sets *retry_after), 0 under
 * it, -1 when it cannot count (a database fault): callers fail closed. */
int acct_limited(struct db_conn *c, const char *key, int64_t window,
    int64_t limit, int64_t *retry_after);
void acct_audit(struct db_conn *c, const struct acct_env *env,
    const char *actor, const char *kind, const char *subject);
/*
 * Makes the session of a login (the id changes at login: old_hash is
 * ended), clears the account's failed-login count and records the login.
 * factor_at: when a second factor was proved for it (0: none).
 */
enum acct_status acct_start_session(const struct acct_env *env,
    const struct user *u, const char *old_hash, struct acct_session *s,
    int64_t factor_at);

#endif
