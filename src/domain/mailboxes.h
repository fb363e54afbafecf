/*
 * Department mailboxes (A7; SECURITY.md 1.6, docs/mailboxes.md). A
 * mailbox is an account without a password whose key pair is made in a
 * member's browser; its private keys are wrapped under a mailbox key MK
 * and MK to each member's own key. The server checks who may do what and
 * that every member is given every key version; it never sees MK or a
 * private key. Adding a member is a step in an existing member's browser
 * (after comparing fingerprints), never something the server does.
 */
#ifndef ST_MAILBOXES_H
#define ST_MAILBOXES_H

#include <stddef.h>

#include "db/mailboxes_db.h"
#include "domain/messages.h"

/* The most members a mailbox can have (each key change wraps to all). */
#define MBX_MEMBERS_MAX 200
/* The most key versions (each removal makes one). */
#define MBX_KEYS_MAX 500

struct mbx_grant_in {
	const char *user_id; /* the member the grant is for */
	const char *key_id; /* the mailbox key version */
	const char *member_key_id; /* the member's key it is wrapped to */
	const char *body; /* 80-byte stanza, b64u */
};

/* A new key version; remove: the member taken out with it, or NULL. */
struct mbx_rekey_in {
	const char *x25519_pk, *ed25519_pk;
	const char *wrapped_x25519_sk, *wrapped_ed25519_sk;
	const struct mbx_grant_in *grants;
	size_t ngrants;
	const char *remove;
};

/*
 * Makes a department mailbox with its owner (securetransferd admin
 * mailbox create, the Postbussen page of Beheer): out_id gets the new id.
 * actor: "admin-cli" or the administrator's account, for the audit log.
 */
struct st_result mailboxes_create(const struct msg_env *env, const char *actor,
    const char *email, const char *name, const char *owner_email,
    char out_id[RAND_ID_LEN + 1]);

/* The first key (by the owner) or a new one, with a removal. */
struct st_result mailboxes_rekey(const struct msg_env *env,
    const struct user *u, const char *mailbox, const struct mbx_rekey_in *in,
    char out_key_id[RAND_ID_LEN + 1]);

/* Adds user_id with one grant per key version (user_id ignored there). */
struct st_result mailboxes_add_member(const struct msg_env *env,
    const struct user *u, const char *mailbox, const char *user_id,
    const struct mbx_grant_in *grants, size_t ngrants);

/*
 * Makes *as the mailbox for member u, with as->member_id = u->id:
 * 1 done (release *as), 0 u is not a member (or no such mailbox), -1.
 */
int mailboxes_act_as(
    struct db *db, const struct user *u, const char *mailbox, struct user *as);

#endif
