/*
 * The one access rule for a message (SECURITY.md 1.7, docs/security.md
 * "Who sees what"): who may see message m and as what, and what each of
 * them may do with it now. Every route that touches a message by its id
 * asks here; anyone the rule does not name gets the same answer as for a
 * message that does not exist.
 *
 * The parties:
 *   - the sender: m's own account, or the outside sender of a request
 *     (principal "external") whose request capability names m and no
 *     other message; a member acting for a sending mailbox is
 *     ACCESS_MAILBOX_SENDER while they are still a member;
 *   - the recipient: m's recipient account once m was sent (not while it
 *     is uploading or after its upload was aborted); a member acting for
 *     a receiving mailbox is ACCESS_MAILBOX_RECIPIENT likewise;
 *   - the outsider: a reader of a link message with no session whose
 *     capability cookie (receive_verify) opens m and no other message.
 * The sender comes first: a message to oneself is read as its sender.
 */
#ifndef ST_ACCESS_H
#define ST_ACCESS_H

#include "domain/messages.h"
#include "util/secrets.h"

struct db_conn;
struct msg_row;

enum access_party {
	ACCESS_FAILED = -1, /* the database did not answer */
	ACCESS_NONE = 0, /* anyone else: "not found" */
	ACCESS_SENDER,
	ACCESS_RECIPIENT,
	ACCESS_MAILBOX_SENDER,
	ACCESS_MAILBOX_RECIPIENT,
	ACCESS_OUTSIDER,
};

enum access_action {
	/* The message document, its events and its report (P3, P4). */
	ACCESS_READ,
	/* Ciphertext, stanzas and R_srv: only while m is live (sent and not
	 * past its expiry); expired and withdrawn say so. */
	ACCESS_FILES,
	/* Upload, send, self-stanza, unlock, withdraw: the sender only; the
	 * operation itself checks the state it needs. */
	ACCESS_MANAGE,
};

/*
 * The party u is for m, read on c (membership of a mailbox; the
 * capability). u NULL: a caller without a session, for whom only
 * cap_token (the capability cookie's value, or NULL) counts.
 */
enum access_party access_message(const struct msg_env *env, struct db_conn *c,
    const struct user *u, const struct msg_row *m, const char *cap_token);

/* ST_OK when party p may do a with m now; else the answer to give. */
struct st_result access_check(
    enum access_party p, enum access_action a, const struct msg_row *m);

/* access_check(access_message(env, c, u, m, NULL), ACCESS_MANAGE, m). */
struct st_result access_manage(const struct msg_env *env, struct db_conn *c,
    const struct user *u, const struct msg_row *m);

/* p is m's sender, in person or through a mailbox. */
int access_is_sender(enum access_party p);
/* p is m's recipient account, in person or through a mailbox. */
int access_is_recipient(enum access_party p);

/* The stored form of a capability token (receive_verify writes it). */
void access_cap_hash(const struct msg_env *env, const char *token,
    char out[SECRETS_HASH_LEN + 1]);

/*
 * Live: sent (opened, downloaded) and not past its expiry. ST_OK, GONE
 * ("expired", "revoked") or NOT_FOUND for a message never sent.
 */
struct st_result access_live(const struct msg_row *m);

#endif
