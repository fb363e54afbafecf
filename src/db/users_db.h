/* SQL for accounts: the users table. The row type is user_row.h's. */
#ifndef ST_DB_USERS_DB_H
#define ST_DB_USERS_DB_H

#include <stdint.h>

#include "db/db.h"
#include "db/user_row.h"

/* The columns users_from_row reads, for the other db/ files that join
 * users (sessions_db.c). */
#define USERS_DB_COLS \
	"id, email, name, is_admin, verified_at IS NOT NULL, " \
	"verifier, key_id, kdf_salt, kdf_m, kdf_t, kdf_p, wrapped_uk_pw, " \
	"wrapped_uk_rec, x25519_pk, ed25519_pk, wrapped_x25519_sk, " \
	"wrapped_ed25519_sk, kind = 'mailbox', blocked_at IS NOT NULL, lang"
/* Fills u (zeroed first; user_release it) from a row of USERS_DB_COLS
 * starting at column 0. */
void users_from_row(struct db_stmt *s, struct user *u);

enum db_status users_insert(
    struct db_conn *c, const struct user *u, int64_t now);
/* 1 found (u filled; user_release it), 0 absent, -1 error. */
int users_by_email(struct db_conn *c, const char *email, struct user *u);
int users_by_id(struct db_conn *c, const char *id, struct user *u);
enum db_status users_set_verified(
    struct db_conn *c, const char *id, int64_t now);
enum db_status users_set_name(
    struct db_conn *c, const char *id, const char *name);
/* The account's language, "nl" or "en" (U1). */
enum db_status users_set_lang(
    struct db_conn *c, const char *id, const char *lang);
/* New password: salt, KDF parameters, verifier and wrapped_uk_pw. */
enum db_status users_set_password(struct db_conn *c, const char *id,
    const struct user_keys *k, const char *verifier);
/* New keys after a reset without the recovery key: everything. */
enum db_status users_set_all_keys(struct db_conn *c, const char *id,
    const struct user_keys *k, const char *verifier, const char *key_id,
    int64_t now);

/* Deletes the account if it is still unverified (a replaced registration
 * attempt); db_changes tells whether it did. */
enum db_status users_delete_unverified(struct db_conn *c, const char *id);
/* Makes the account an administrator if its address is email; db_changes
 * tells whether it did. */
enum db_status users_promote_if_email(
    struct db_conn *c, const char *id, const char *email);

#endif
