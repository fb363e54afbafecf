/*
 * SQL for administering accounts and mailboxes (O6, "Beheer"): the
 * account list and one account, blocking, the administrator role with its
 * last-administrator guard, the login time, the key history from the
 * audit log, and the list of department mailboxes. Nothing here reads a
 * message, a stanza, a manifest or a wrapped key.
 */
#ifndef ST_STAFF_DB_H
#define ST_STAFF_DB_H

#include <stdint.h>

#include "db/db.h"

struct staff_row {
	const char *id, *email, *name, *key_id;
	int is_admin, verified, blocked, is_mailbox;
	int64_t created_at, last_login_at, keys_changed_at, blocked_at;
};

typedef void (*staff_row_fn)(const struct staff_row *r, void *arg);

/* What the Accounts page asks for. status: "", unverified, active,
 * blocked or admin; q matches name or address (literally, % and _ too). */
struct staff_query {
	const char *q;
	const char *status;
	int64_t offset, limit;
};

/* Persons (no mailboxes) matching q, by address; the total matching in
 * *total. 0, or -1. */
int staff_db_search(struct db_conn *c, const struct staff_query *q,
    staff_row_fn fn, void *arg, int64_t *total);
/* One account (person or mailbox) by id or address: 1, 0 none, -1. */
int staff_db_get(
    struct db_conn *c, const char *id_or_email, staff_row_fn fn, void *arg);
/* Sets or clears blocked_at (not the last active administrator):
 * 1 changed, 0 no such account or refused, -1 error. */
int staff_db_set_blocked(
    struct db_conn *c, const char *id, int blocked, int64_t now);
/*
 * The administrator role. Taking it away or blocking is refused when the
 * account is the last unblocked administrator: the statement locks every
 * administrator row first, so two administrators demoting each other at
 * once cannot both succeed. 1 changed, 0 unchanged or refused, -1 error;
 * run inside a transaction.
 */
int staff_db_set_admin(struct db_conn *c, const char *id, int admin);
/* The number of unblocked administrators, or -1. */
int64_t staff_db_admins(struct db_conn *c);
/* Locks the administrator rows for the rest of the transaction. */
enum db_status staff_db_lock_admins(struct db_conn *c);
enum db_status staff_db_logged_in(
    struct db_conn *c, const char *id, int64_t now);
/* Live sessions of the account, or -1. */
int64_t staff_db_sessions(struct db_conn *c, const char *id);

/* An event of an account's key history (registered, verified, changed). */
struct staff_key_event {
	int64_t at_us;
	const char *kind, *key_id; /* key_id may be NULL */
};
int staff_db_key_history(struct db_conn *c, const char *id,
    void (*fn)(const struct staff_key_event *e, void *arg), void *arg);

/* Every department mailbox (id, address, name, key), by address. */
int staff_db_mailboxes(struct db_conn *c, staff_row_fn fn, void *arg);

#endif
