/* Helpers shared by factors.c, factors_enrol.c and factors_login.c. */
#ifndef ST_FACTORS_INT_H
#define ST_FACTORS_INT_H

#include "domain/factors.h"
#include "domain/webauthn.h"

struct db_conn;

/* The relying party of this server (server.public_url). */
void factor_rp(const struct acct_env *env, struct webauthn_rp *rp);
/* The keyed hash under which a challenge of kind for key is kept. */
void factor_challenge_id(const struct acct_env *env, const char *kind,
    const char *key, char out[48]);
/* A new random challenge (b64u of WEBAUTHN_CHALLENGE_LEN bytes). */
void factor_new_challenge(char out[RAND_TOKEN_LEN + 1]);
/*
 * Whether this session authenticated recently: a factor within
 * FACTOR_FRESH seconds, or, for an account with none enrolled, the
 * password login itself. 1 fresh, 0 not, -1 error.
 */
int factor_fresh(struct db_conn *c, const struct acct_env *env, const char *uid,
    const char *session_hash);
/*
 * Checks proof p for account uid. challenge_id: where this ceremony's
 * WebAuthn challenge is kept (taken when the assertion passes). Counts
 * the attempt against FACTOR_FAILURES first; audits a failure.
 */
struct st_result factor_prove(struct db_conn *c, const struct acct_env *env,
    const char *uid, const char *challenge_id, const struct factor_proof *p);
/* Makes, stores (hashed) and returns a new set of recovery codes. */
int factor_codes_make(struct db_conn *c, const struct acct_env *env,
    const char *uid, struct factor_codes *codes);
/* Audits kind with detail method and mails the owner (in c's transaction). */
int factor_changed(struct db_conn *c, const struct acct_env *env,
    const struct user *u, const char *kind, const char *method);
/* TOTP secrets sealed under a key derived from server.key, bound to uid. */
char *factor_seal(const struct acct_env *env, const char *uid,
    const unsigned char *secret, size_t len);
int factor_unseal(const struct acct_env *env, const char *uid,
    const char *sealed, unsigned char *secret, size_t len);

#endif
