/*
 * SQL for department mailboxes (A7, migration 0012): the mailbox's users
 * row, its members, its key versions and the grants of each version's
 * mailbox key to each member. Every query names the mailbox.
 */
#ifndef ST_MAILBOXES_DB_H
#define ST_MAILBOXES_DB_H

#include <stdint.h>

#include "db/db.h"
#include "util/rand.h"

/* A mailbox one user belongs to, or a member of one mailbox. */
struct mbx_party {
	const char *id, *email, *name;
	const char *role; /* owner | member */
	const char *key_id; /* current key; NULL before the first */
	const char *x25519_pk;
	int64_t added_at;
	/* The member holds the mailbox's current key, granted to their own
	 * current key (0 after a password reset without the recovery key:
	 * a member must add them again). */
	int has_key;
};

struct mbx_key {
	const char *key_id, *x25519_pk, *ed25519_pk;
	const char *wrapped_x25519_sk, *wrapped_ed25519_sk;
	int64_t created_at;
};

struct mbx_grant {
	const char *key_id, *member_key_id, *granted_by, *body;
};

/* A membership change from the audit log; by: the actor's address. */
struct mbx_event {
	int64_t at_us;
	const char *kind, *by, *detail;
};

typedef void (*mbx_party_fn)(const struct mbx_party *p, void *arg);

/* A mailbox row (kind mailbox, verified, no password) and its owner. */
enum db_status mbx_db_create(struct db_conn *c, const char *id,
    const char *email, const char *name, const char *owner_id, int64_t now);
/* The role of user in mailbox into role (8 bytes): 1 member, 0 not, -1. */
int mbx_db_role(
    struct db_conn *c, const char *mailbox, const char *user, char role[8]);
/* The mailboxes user belongs to, by address. */
int mbx_db_of_user(
    struct db_conn *c, const char *user, mbx_party_fn fn, void *arg);
/* The members of a mailbox, by address; x25519_pk their current key. */
int mbx_db_members(
    struct db_conn *c, const char *mailbox, mbx_party_fn fn, void *arg);
int mbx_db_keys(struct db_conn *c, const char *mailbox,
    void (*fn)(const struct mbx_key *k, void *arg), void *arg);
/* The grants made to user, one per key version. */
int mbx_db_grants(struct db_conn *c, const char *mailbox, const char *user,
    void (*fn)(const struct mbx_grant *g, void *arg), void *arg);
int64_t mbx_db_count(
    struct db_conn *c, const char *sql, const char *mailbox, const char *other);
/* A new key version, made the mailbox's current key. */
enum db_status mbx_db_key_insert(struct db_conn *c, const char *mailbox,
    const struct mbx_key *k, const char *by, int64_t now);
enum db_status mbx_db_grant_insert(struct db_conn *c, const char *mailbox,
    const char *user, const struct mbx_grant *g);
enum db_status mbx_db_member_insert(struct db_conn *c, const char *mailbox,
    const char *user, const char *by, int64_t now);
/* All grants to user (before granting again to a new key of theirs). */
enum db_status mbx_db_grants_delete(
    struct db_conn *c, const char *mailbox, const char *user);
/* Removes a member and their grants; 1 removed, 0 none such, -1. */
int mbx_db_member_delete(
    struct db_conn *c, const char *mailbox, const char *user);

/* The mailbox's audit lines, newest first, at most limit. */
int mbx_db_history(struct db_conn *c, const char *mailbox, int64_t limit,
    void (*fn)(const struct mbx_event *e, void *arg), void *arg);

/*
 * The key version a mailbox sent msg_id with (its self-stanza's key) and
 * that version's signing key (caller frees): 1, 0 none, -1.
 */
int mbx_db_signer(struct db_conn *c, const char *mailbox, const char *msg_id,
    char key_id[RAND_ID_LEN + 1], char **ed25519_pk);

/* Counting statements for mbx_db_count ($1 mailbox, $2 other). */
#define MBX_SQL_MEMBERS \
	"SELECT COUNT(*) FROM mailbox_members WHERE mailbox_id = $1 " \
	"AND user_id <> $2"
#define MBX_SQL_KEYS \
	"SELECT COUNT(*) FROM mailbox_keys WHERE mailbox_id = $1 " \
	"AND key_id <> $2"

#endif
