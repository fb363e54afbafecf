/*
 * SQL for the second factor (A8, migration 0019): WebAuthn credentials,
 * the TOTP secret (sealed by the caller), recovery code hashes, the
 * outstanding challenges, and when a session last proved a factor.
 */
#ifndef ST_FACTORS_DB_H
#define ST_FACTORS_DB_H

#include <stdint.h>

#include "db/db.h"
#include "util/rand.h"

struct fdb_cred {
	const char *id; /* credential id, b64u */
	const char *public_key; /* SubjectPublicKeyInfo DER, b64u */
	int64_t alg; /* COSE: -7 ES256, -8 EdDSA */
	int64_t sign_count;
	const char *name;
	int64_t created_at, last_used_at;
};

typedef void (*fdb_cred_fn)(const struct fdb_cred *c, void *arg);

/* The user's credentials, oldest first. 0, or -1. */
int fdb_creds(struct db_conn *c, const char *user, fdb_cred_fn fn, void *arg);
/* One credential of user: 1 found (fn called), 0 none, -1 error. */
int fdb_cred_get(struct db_conn *c, const char *user, const char *id,
    fdb_cred_fn fn, void *arg);
enum db_status fdb_cred_insert(struct db_conn *c, const char *user,
    const struct fdb_cred *cr, int64_t now);
/*
 * Records a use: the new counter when it is 0 or grew (guarded in the
 * statement, so two uses of one assertion cannot both pass). 1 recorded,
 * 0 refused, -1 error.
 */
int fdb_cred_used(struct db_conn *c, const char *user, const char *id,
    int64_t count, int64_t now);
/* 1 deleted, 0 none such, -1 error. */
int fdb_cred_delete(struct db_conn *c, const char *user, const char *id);

/* The sealed secret, confirmed flag; 1 found, 0 none, -1 error. The caller
 * frees *secret. */
int fdb_totp_get(struct db_conn *c, const char *user, char **secret,
    int *confirmed, int64_t *created_at);
/* Replaces an unconfirmed secret (or makes one). */
enum db_status fdb_totp_put(
    struct db_conn *c, const char *user, const char *sealed, int64_t now);
enum db_status fdb_totp_confirm(
    struct db_conn *c, const char *user, int64_t step, int64_t now);
/*
 * Accepts time step step once: 1 when it is newer than every step accepted
 * before (recorded), 0 when not (a replay), -1 error.
 */
int fdb_totp_use(struct db_conn *c, const char *user, int64_t step);
/* 1 deleted, 0 none, -1 error. */
int fdb_totp_delete(struct db_conn *c, const char *user);

/* Replaces the user's recovery codes by these n hashes. */
enum db_status fdb_recovery_replace(struct db_conn *c, const char *user,
    const char *const *hashes, size_t n, int64_t now);
/* Uses the code with this hash: 1 used now, 0 unknown or used, -1. */
int fdb_recovery_use(
    struct db_conn *c, const char *user, const char *hash, int64_t now);
/* Unused codes left, or -1. */
int64_t fdb_recovery_left(struct db_conn *c, const char *user);
enum db_status fdb_recovery_delete(struct db_conn *c, const char *user);

/* 1 when the user has a confirmed TOTP or a credential, 0 not, -1. */
int fdb_enrolled(struct db_conn *c, const char *user);
/* Credentials plus a confirmed TOTP: how many factors; -1 on error. */
int64_t fdb_count(struct db_conn *c, const char *user);

struct fdb_challenge {
	char user_id[RAND_ID_LEN + 1];
	char purpose[16];
	char challenge[RAND_TOKEN_LEN + 1];
	char old_session[48]; /* "" when none */
	int64_t expires_at;
};

/* Replaces the challenge under id_hash. */
enum db_status fdb_challenge_put(
    struct db_conn *c, const char *id_hash, const struct fdb_challenge *ch);
/* 1 found and live (ch filled), 0 none or expired, -1 error. */
int fdb_challenge_get(struct db_conn *c, const char *id_hash, int64_t now,
    struct fdb_challenge *ch);
/* Takes it away (used, or given up): 1 taken, 0 none, -1 error. */
int fdb_challenge_take(struct db_conn *c, const char *id_hash);
/* Removes every challenge of the user (pending logins too). */
enum db_status fdb_challenges_delete_user(struct db_conn *c, const char *user);
/* Removes the challenges that ran out. */
enum db_status fdb_challenges_expire(struct db_conn *c, int64_t now);

/* When the session was made (the password) and last proved a factor (0:
 * never): 1 found, 0 no such session, -1 error. */
int fdb_session_times(struct db_conn *c, const char *session_hash,
    int64_t *created_at, int64_t *factor_at);
enum db_status fdb_session_set_factor_at(
    struct db_conn *c, const char *session_hash, int64_t at);

#endif
