/*
 * What `send --resume` needs after a crash, in <dir>/sends/<msg_id>.json
 * (mode 0600), rewritten (fsync, rename) before every PATCH. No key is in
 * it: K comes back from the self-stanza the server keeps, opened with the
 * account's key. Per file it keeps the salt of the upload attempt and the
 * write-ahead record of the PATCH in flight (its byte range and the
 * SHA-256 of the plaintext records behind it), so a resume reuses the salt
 * only when the plaintext is provably the same as what was encrypted
 * under it (SECURITY.md §1.9: same nonce, different plaintext, is the one
 * thing that must never happen); otherwise that file starts again with a
 * new salt.
 *
 * It is written before the first request: until the message is made it is
 * <dir>/sends/<idempotency key>.json with what the creation needs (the
 * recipient, the files), so a resume makes it with the same key, which the
 * server answers with the message made before if there was one.
 */
#ifndef ST_CLI_SENDSTATE_H
#define ST_CLI_SENDSTATE_H

#include <stdint.h>

#include "client/names.h"
#include "util/rand.h"

struct send_file {
	char *path; /* absolute */
	char name[NAMES_MAX + 1]; /* as sent */
	uint64_t size; /* plaintext bytes */
	char id[RAND_ID_LEN + 1]; /* the server's file id */
	uint64_t csize; /* ciphertext bytes */
	unsigned char salt[32];
	int has_salt;
	uint64_t pend_from, pend_to; /* the PATCH in flight */
	unsigned char pend_hash[32];
	int has_pending;
	char header_sha256[RAND_TOKEN_LEN + 1]; /* once done */
	int done;
};

struct send_state {
	char *path; /* of the state file */
	char msg_id[RAND_ID_LEN + 1]; /* "" until the message is made */
	char idem_key[RAND_ID_LEN + 1]; /* its creation's Idempotency-Key */
	char *to, *rcpt_name, *phone; /* for the creation (NULL: none) */
	char *rcpt_kid; /* the key id the pins trust for to (NULL: link) */
	int strict; /* --strict: ask for strict delivery (SECURITY.md 1.6) */
	char *rcpt_lang; /* an outside recipient's language (NULL: Dutch) */
	char *server;
	char *subject, *reference;
	char *text_file; /* absolute, or NULL */
	struct send_file *files;
	size_t nfiles;
};

/* Writes s to s->path; 0 or -1. */
int sendstate_save(const struct send_state *s);
/* Reads path into s; 0 or -1 (missing or unreadable). */
int sendstate_load(const char *path, struct send_state *s);
void sendstate_release(struct send_state *s);

#endif
