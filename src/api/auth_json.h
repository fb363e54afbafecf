/* JSON shapes shared by the account handlers (auth.c, account.c). */
#ifndef ST_AUTH_JSON_H
#define ST_AUTH_JSON_H

#include <jansson.h>

#include "api/input.h"
#include "domain/accounts.h"

struct request;

/* clang-format off */
/* The key fields a password change sends (salt, kdf, wrapped_uk_pw). */
#define KEY_FIELDS_PW \
	{ "salt", F_STR, 1, 22, 22 }, \
	{ "kdf", F_OBJ, 1, 0, 0 }, \
	{ "wrapped_uk_pw", F_STR, 1, 80, 80 }
/* Plus the rest of a full key set (registration, reset with new keys). */
#define KEY_FIELDS_REST(req) \
	{ "wrapped_uk_rec", F_STR, req, 80, 80 }, \
	{ "x25519_pk", F_STR, req, 43, 43 }, \
	{ "ed25519_pk", F_STR, req, 43, 43 }, \
	{ "wrapped_x25519_sk", F_STR, req, 40, 400 }, \
	{ "wrapped_ed25519_sk", F_STR, req, 40, 400 }
#define KEY_FIELDS_FULL KEY_FIELDS_PW, KEY_FIELDS_REST(1)
#define KEY_FIELDS_FULL_OPTIONAL KEY_FIELDS_PW, KEY_FIELDS_REST(0)
/* clang-format on */

/* Fills the acct_env of a request. */
void api_env(struct request *req, struct acct_env *env);
/*
 * Reads the key fields of doc into k (pointers into doc: keep doc alive);
 * full: the whole set is required. Answers 400 and returns -1 on error.
 */
int api_read_keys(
    struct request *req, json_t *doc, struct user_keys *k, int full);
/* {"user": {...}} and, with keys, "keys": {...} for unlocking. */
json_t *api_user_json(const struct user *u, int with_keys);
/* api_user_json with keys, and keys.log: the newest leaf of the
 * account's address in the transparency log, for self-monitoring. */
json_t *api_user_json_keys(struct request *req, const struct user *u);
/*
 * The answer of a finished login (with or without a second factor): the
 * user with keys and log entry, a new CSRF token, and the session cookie
 * for token. The caller still owns u and token (and wipes token).
 */
void api_login_answer(
    struct request *req, const struct user *u, const char *token);

#endif
