/* SQL for users, sessions, mail tokens, rate limits and the audit log. */
#ifndef ST_DB_USERS_H
#define ST_DB_USERS_H

#include <stdint.h>

#include "db/db.h"
#include "domain/user.h"

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

enum db_status sessions_insert(struct db_conn *c, const char *hash,
    const char *user_id, int64_t now, const char *ip, const char *agent);
/*
 * The user of a live session (created after now - absolute, seen after
 * now - idle). 1 found, 0 none or expired, -1 error.
 */
int sessions_lookup(struct db_conn *c, const char *hash, int64_t now,
    int64_t idle, int64_t absolute, struct user *u, int64_t *last_seen);
enum db_status sessions_touch(struct db_conn *c, const char *hash, int64_t now);
enum db_status sessions_delete(struct db_conn *c, const char *hash);
/* Ends every session of the user except keep_hash (may be NULL). */
enum db_status sessions_delete_user(
    struct db_conn *c, const char *user_id, const char *keep_hash);

struct session_row {
	const char *id_hash;
	int64_t created_at, last_seen;
	const char *ip, *agent;
};

/* Calls fn for each live session of the user, most recent first. */
int sessions_list(struct db_conn *c, const char *user_id, int64_t now,
    int64_t idle, int64_t absolute,
    void (*fn)(const struct session_row *s, void *arg), void *arg);
/* Ends one session of the user; 1 ended, 0 none such, -1 error. */
int sessions_delete_own(
    struct db_conn *c, const char *user_id, const char *hash);

enum token_state {
	TOKEN_OK,
	TOKEN_UNKNOWN,
	TOKEN_USED,
	TOKEN_EXPIRED,
	TOKEN_ERROR
};
enum db_status tokens_insert(struct db_conn *c, const char *hash,
    const char *kind, const char *user_id, int64_t now, int64_t expires);
/* Marks the token used (in the caller's transaction); user_id out. */
enum token_state tokens_use(struct db_conn *c, const char *hash,
    const char *kind, int64_t now, char user_id[RAND_ID_LEN + 1]);
/* Checks without using. */
enum token_state tokens_peek(struct db_conn *c, const char *hash,
    const char *kind, int64_t now, char user_id[RAND_ID_LEN + 1]);

/* Adds one to key's counter in the current window; returns the new
 * count, or -1 on error. */
int64_t ratelimit_hit(
    struct db_conn *c, const char *key, int64_t window, int64_t now);
enum db_status ratelimit_clear(struct db_conn *c, const char *key);
/* Takes back one hit of the current window (an attempt that succeeded). */
enum db_status ratelimit_undo(
    struct db_conn *c, const char *key, int64_t window, int64_t now);

/* Appends an audit event; detail is a JSON text without secrets. */
enum db_status audit_add(struct db_conn *c, const char *actor, const char *ip,
    const char *kind, const char *subject, const char *detail);

#endif
