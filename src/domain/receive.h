/*
 * Receiving (R1-R4): the link gate, the SMS code gate and the capability
 * it grants, access to a message's ciphertext, and the events the sender's
 * report is built from. docs/receive.md describes the flow.
 *
 * The link gate: a link message is only spoken of to a caller who proves
 * knowledge of S with link_auth (SECURITY.md 1.4); a wrong proof and an
 * unknown id get the same 404.
 */
#ifndef ST_RECEIVE_H
#define ST_RECEIVE_H

#include "db/messages_db.h"
#include "domain/messages.h"

#define RCV_CODE_LEN 6

/* What the link page shows before the code is entered. */
struct rcv_open {
	int code_required; /* a mobile number was given */
	int locked; /* too many wrong codes: the sender must unlock */
	int capable; /* the caller's capability cookie is still good */
	char phone_masked[32]; /* "+31 6 ******78" */
	char *sender_name; /* free() */
	int64_t expires_at, code_sent_at;
	/* until when the last code sent can still be typed; 0 when none */
	int64_t code_expires_at;
};

struct st_result receive_open(const struct msg_env *env, const char *id,
    const char *link_auth, const char *cap_token, struct rcv_open *out);

/* Makes a new code and queues the SMS; *expires_at when it runs out. */
struct st_result receive_send_code(const struct msg_env *env, const char *id,
    const char *link_auth, int64_t *expires_at);

/*
 * Checks the code (or none, for a message without a mobile number) and
 * on success writes a fresh capability token to token. On a wrong code
 * *attempts_left says how many remain before the lock.
 */
struct st_result receive_verify(const struct msg_env *env, const char *id,
    const char *link_auth, const char *code, char token[RAND_TOKEN_LEN + 1],
    int64_t *attempts_left);

/* ST_OK when cap_token opens message id now; m is then filled. */
struct st_result receive_capable(const struct msg_env *env, const char *id,
    const char *cap_token, struct msg_row *m);

/*
 * Message id as u may read it (access.h, ACCESS_READ): its sender or its
 * recipient account, in person or through a mailbox; m is then filled
 * and *recipient says which. A recipient's first look opens the message.
 */
struct st_result receive_party(const struct msg_env *env, const char *id,
    const struct user *u, struct msg_row *m, int *recipient);

/* The file file_id of a readable message m; f filled on ST_OK. */
struct st_result receive_file(const struct msg_env *env,
    const struct msg_row *m, const char *file_id, struct file_row *f);

/* A recipient got a file's last byte: an event, and "downloaded". */
void receive_downloaded(const struct msg_env *env, const char *msg_id,
    int64_t idx, const char *actor, const char *member);

/* The sender lifts the code lock of their message. */
struct st_result receive_unlock(
    const struct msg_env *env, const struct user *sender, const char *id);

/* "+31612345678" -> "+31 6 ******78"; anything else keeps its last two. */
void receive_mask_phone(const char *e164, char *out, size_t outlen);

#endif
