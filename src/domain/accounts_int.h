/* Helpers shared by accounts.c and accounts_pw.c; not for other modules. */
#ifndef ST_ACCOUNTS_INT_H
#define ST_ACCOUNTS_INT_H

#include "domain/accounts.h"

struct db_conn;

/* KDF parameters at or above the floor (SECURITY.md 1.7). */
int acct_kdf_ok(const struct user_keys *k);
void acct_token_hash(const struct secrets *sec, const char *token,
    char out[ACCT_SESSION_LEN + 1]);
/* Queues mail <kind> to the address; path+#token form the link. */
int acct_queue_mail(struct db_conn *c, const struct acct_env *env,
    const char *kind, const char *lang, const char *to, const char *to_name,
    const char *path, const char *token);
/* A fresh single-use token of kind, mailed to u as path#token. */
int acct_mail_token(struct db_conn *c, const struct acct_env *env,
    const struct user *u, const char *kind, const char *path, int64_t ttl);
/* Counts one hit on key; 1 when over limit (sets *retry_after). */
int acct_limited(struct db_conn *c, const char *key, int64_t window,
    int64_t limit, int64_t *retry_after);
void acct_audit(struct db_conn *c, const struct acct_env *env,
    const char *actor, const char *kind, const char *subject);

#endif
