/*
 * Messages (S1-S7): creating one with its files, the tus upload rules for
 * each file, sending it (the stanzas, the manifest and the recipient's
 * mail in one transaction), and aborting those whose upload window ran
 * out. The server checks sizes, names, parties and states; it never sees
 * K, S or any plaintext.
 */
#ifndef ST_MESSAGES_H
#define ST_MESSAGES_H

#include <stddef.h>
#include <stdint.h>

#include "domain/result.h"
#include "domain/user.h"

struct config;
struct db;
struct msg_row;
struct blob_store;
struct secrets;

struct msg_env {
	const struct config *cfg;
	struct db *db;
	struct blob_store *store;
	const struct secrets *sec;
	const char *ip;
};

/* The sender id of messages from outside (Q2, Q4; migration 0009). */
#define MSG_EXTERNAL "external"

struct msg_file_in {
	const char *name;
	uint64_t size; /* plaintext bytes */
};

struct msg_create_in {
	const struct user *sender;
	const char *rcpt_email;
	const char *rcpt_name;
	const char *rcpt_phone; /* "" when none */
	/* "nl" or "en" for an outside recipient's mail and SMS; NULL: Dutch */
	const char *rcpt_lang;
	const char *subject;
	const char *reference;
	const struct msg_file_in *files;
	size_t nfiles;
	/* From outside: the request, and the most its documents may hold
	 * (0: send.max_message_bytes). The recipient must have this key. */
	const char *request_id;
	const char *rcpt_key_id;
	int64_t max_bytes;
	/* A retry-safe creation (Idempotency-Key): the sender's key and the
	 * request's SHA-256 (b64u); NULL for none. The same key with the same
	 * request again makes nothing and names the message made before
	 * (msg_created.replayed); with another request it is refused (422). */
	const char *idem_key;
	const char *idem_hash;
	/* "standard", "strict" or NULL: what the sender asks for; the
	 * organisation's policy decides (domain/delivery.h). */
	const char *delivery;
};

struct msg_created {
	char id[RAND_ID_LEN + 1];
	int replayed; /* id is the message an earlier request made */
	char rcpt_email[256];
	char rcpt_phone[20];
	int link; /* no account: link flow */
	int strict; /* strict delivery: the server never gets S */
	char r_srv[RAND_TOKEN_LEN + 1]; /* link flow only */
	struct user rcpt; /* account flow: id, key_id, keys.x25519_pk */
	int64_t upload_deadline;
	char (*file_ids)[RAND_ID_LEN + 1]; /* nfiles entries; free() */
	uint64_t *ciphertext_sizes; /* nfiles entries; free() */
};

struct st_result messages_create(const struct msg_env *env,
    const struct msg_create_in *in, struct msg_created *out);
void msg_created_release(struct msg_created *c);

struct msg_send_in {
	const char *manifest; /* sealed, b64u */
	const char *self_stanza; /* to the sender's key, b64u 80 bytes */
	const char *rcpt_stanza; /* account flow */
	const char *link_auth_hash; /* link flow: SHA-256(link_auth) */
	const char *link_stanza;
	const char *link_secret; /* S, only to write the link mail */
	/* Strict mode: the sender's copy of S sealed under a key from K
	 * (b64u, 60 bytes), or "". S itself is refused. */
	const char *link_secret_sealed;
};

struct st_result messages_send(const struct msg_env *env,
    const struct user *sender, const char *id, const struct msg_send_in *in);

/*
 * Stores the sender's self-stanza while the message is uploading, so a
 * sender who reloads the page can recover K and finish (SECURITY §1.9).
 */
struct st_result messages_put_self_stanza(const struct msg_env *env,
    const struct user *sender, const char *id, const char *stanza);

/* Aborts a message still uploading and deletes its objects: 1 done, 0
 * not uploading, -1 error. why goes into the event. */
int messages_abort(const struct msg_env *env, const char *id, const char *why);
/* Aborts messages whose upload window closed; deletes their objects. */
int messages_abort_overdue(const struct msg_env *env);

#endif
