/*
 * An account's sessions (A4, SECURITY.md §3 #9): finding the user of a
 * session cookie, listing them for the owner, ending one or all others
 * (audited). Sessions are kept by the keyed hash of their token
 * (accounts_session_hash); idle and absolute lifetimes come from
 * accounts.session_idle and accounts.session_absolute. Each function
 * takes and gives back its own database connection.
 */
#ifndef ST_ACCT_SESSIONS_H
#define ST_ACCT_SESSIONS_H

#include <stdint.h>

#include "domain/accounts.h"

/* A live session as its owner sees it; strings valid during the call. */
struct acct_session_info {
	const char *id_hash;
	int64_t created_at, last_seen;
	const char *ip, *agent;
};

typedef void (*acct_session_fn)(const struct acct_session_info *s, void *arg);

/*
 * The user of the live session hash into *u (user_release it); its
 * last-seen time is written at most once a minute, and never waits for a
 * lock held elsewhere. 1, 0 none (or expired), -1 error.
 */
int acct_session_user(
    const struct acct_env *env, const char *hash, struct user *u);

/* Calls fn for uid's live sessions: 0, or -1. */
int acct_sessions_list(
    const struct acct_env *env, const char *uid, acct_session_fn fn, void *arg);

/* Ends uid's session hash (audited): 1 ended, 0 none such, -1 error. */
int acct_session_end(
    const struct acct_env *env, const char *uid, const char *hash);

/* Ends all of uid's sessions but keep_hash (audited): 0, or -1. */
int acct_sessions_end_others(
    const struct acct_env *env, const char *uid, const char *keep_hash);

#endif
