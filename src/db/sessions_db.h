/* SQL for login sessions (hashed ids, idle and absolute timeouts). */
#ifndef ST_DB_SESSIONS_DB_H
#define ST_DB_SESSIONS_DB_H

#include <stdint.h>

#include "db/db.h"
#include "db/user_row.h"

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

#endif
