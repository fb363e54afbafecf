/* SQL for messages, files, stanzas, R_srv and events (migration 0003). */
#ifndef ST_MESSAGES_DB_H
#define ST_MESSAGES_DB_H

#include <stdint.h>

#include "db/db.h"
#include "util/rand.h"

struct msg_row {
	char id[RAND_ID_LEN + 1];
	char sender_id[RAND_ID_LEN + 1];
	char *rcpt_email, *rcpt_name, *rcpt_phone; /* phone may be NULL */
	char *rcpt_user_id, *rcpt_key_id; /* NULL for link */
	char *rcpt_kind; /* account | link */
	char *subject, *reference, *state;
	int64_t total_size, created_at, upload_deadline, sent_at, expires_at;
	/* From outside (Q2, Q4): the request, and who sent it. */
	char request_id[RAND_ID_LEN + 1]; /* "" for an employee's message */
	char *ext_email, *ext_name; /* NULL for an employee's message */
	/* Delivery (migration 0018): 1 strict (the server never sees S),
	 * 0 standard (the server mails the link with S). */
	int strict;
	/* "nl", "en": the recipient's mail and SMS (U1); an account's own */
	char rcpt_lang[3];
};

struct file_row {
	char id[RAND_ID_LEN + 1];
	char message_id[RAND_ID_LEN + 1];
	int64_t idx;
	char *name;
	int64_t size, ciphertext_size, upload_offset;
	char object_key[RAND_ID_LEN + 1];
	int started; /* FILE_UPLOAD_*: column upload_started */
	int done;
	char header_sha256[48]; /* b64u, "" until the header is in */
	char ciphertext_sha256[48]; /* b64u of the whole object, "" not yet */
};

/* files.upload_started: no tus creation yet, created, terminated. */
#define FILE_UPLOAD_NEW 0
#define FILE_UPLOAD_CREATED 1
#define FILE_UPLOAD_TERMINATED 2

void msg_row_release(struct msg_row *m);
void file_row_release(struct file_row *f);

enum db_status msg_insert(struct db_conn *c, const struct msg_row *m);
/* R_srv of a link message (caller frees), or NULL. */
char *msg_key_get(struct db_conn *c, const char *id);
enum db_status msg_key_insert(
    struct db_conn *c, const char *id, const char *r_srv);
enum db_status file_insert(struct db_conn *c, const struct file_row *f);
/* 1 found, 0 absent, -1 error. */
int msg_get(struct db_conn *c, const char *id, struct msg_row *m);
int file_get(struct db_conn *c, const char *id, struct file_row *f);
/* Calls fn for each file of a message in index order. */
int files_of(struct db_conn *c, const char *msg_id,
    void (*fn)(const struct file_row *f, void *arg), void *arg);
int64_t files_not_done(struct db_conn *c, const char *msg_id);

/*
 * Takes the one-PATCH-at-a-time lease on a file for node owner until
 * until_us, only if no lease is held and (offset >= 0) the upload is
 * still at offset: one statement, so two PATCHes at one offset cannot
 * both pass, on one node or on two. 1 taken.
 */
int file_lease(struct db_conn *c, const char *id, const char *owner,
    int64_t now_us, int64_t until_us, int64_t offset);
/* Extends the lease owner holds on a file. */
enum db_status file_lease_renew(
    struct db_conn *c, const char *id, const char *owner, int64_t until_us);
/* Ends the PATCH leases of node owner: for a node that has just started,
 * whose earlier process died holding them. */
enum db_status files_release_leases(struct db_conn *c, const char *owner);
enum db_status file_set_offset(
    struct db_conn *c, const char *id, int64_t offset, int done);
enum db_status file_restart(struct db_conn *c, const char *id);
/* tus termination: offset 0, no lease, FILE_UPLOAD_TERMINATED until a new
 * creation (file_restart). */
enum db_status file_terminate(struct db_conn *c, const char *id);
enum db_status file_set_header(
    struct db_conn *c, const char *id, const char *sha256_b64u);
/* Ids of complete files whose ciphertext is not hashed yet (at most max). */
int files_unhashed(struct db_conn *c, char ids[][RAND_ID_LEN + 1], int max);
enum db_status file_set_ciphertext_hash(
    struct db_conn *c, const char *id, const char *sha256_b64u);
/* Replaces the stanza of key_id (the self-stanza may be stored early). */
enum db_status stanza_put(struct db_conn *c, const char *msg_id,
    const char *key_id, const char *role, const char *body);

/* What a link message stores at send time (b64u; any field may be NULL). */
struct msg_link_gate {
	const char *auth_hash; /* SHA-256(link_auth) */
	const char *stanza; /* K under LWK */
	const char *secret_sealed; /* strict: the sender's sealed copy of S */
};

/* uploading -> sent with the sealed manifest; link NULL for an account
 * recipient. */
enum db_status msg_set_sent(struct db_conn *c, const char *id,
    const char *manifest, const struct msg_link_gate *link, int64_t sent_at,
    int64_t expires_at);
/* Moves a message from state from to state to; 1 moved, 0 not, -1 err. */
int msg_transition(
    struct db_conn *c, const char *id, const char *from, const char *to);
enum db_status stanza_insert(struct db_conn *c, const char *msg_id,
    const char *key_id, const char *role, const char *body);
/* The body of the stanza for key_id (caller frees), or NULL. */
char *stanza_get(struct db_conn *c, const char *msg_id, const char *key_id);
/* The body (caller frees) and key id of the stanza with role, or NULL:
 * a mailbox opens messages wrapped to any of its key versions. */
char *stanza_of_role(struct db_conn *c, const char *msg_id, const char *role,
    char key_id[RAND_ID_LEN + 1]);
enum db_status event_add(struct db_conn *c, const char *msg_id,
    const char *kind, const char *actor, const char *ip, const char *detail);
/* The same, naming the member who acted for mailbox actor (or NULL). */
enum db_status event_add_member(struct db_conn *c, const char *msg_id,
    const char *kind, const char *actor, const char *member, const char *ip,
    const char *detail);
/* Ids of messages still uploading after their deadline (at most max). */
int msgs_overdue(
    struct db_conn *c, int64_t now, char ids[][RAND_ID_LEN + 1], int max);

/* Deletes the message's wrapped keys (an aborted upload). */
enum db_status msg_keys_delete(struct db_conn *c, const char *id);

#endif
