/*
 * A served key's entry in the key-transparency log, as the CLI checks it
 * (docs/transparency.md, "What a client checks"; the browser's is
 * web/src/account/page/transparency.js): the "log" member of a directory answer,
 *
 *   { "index": n, "leaf": b64u(120 bytes), "proof": [b64u(32), ...],
 *     "checkpoint": "<signed note>" }
 *
 * whose leaf must be of the served address and keys and whose proof must
 * lead to the root of the checkpoint, signed by the log key. Outside input
 * from the server: parsed strictly, bounded, no allocation. Whether the
 * checkpoint agrees with the heads seen before is cli/kt.c's part.
 */
#ifndef ST_CLIENT_KTPROOF_H
#define ST_CLIENT_KTPROOF_H

#include <jansson.h>

#include "tlog/leaf.h"
#include "tlog/merkle.h"
#include "tlog/note.h"

enum ktproof_status {
	KTPROOF_OK = 0,
	KTPROOF_NOT_LOGGED, /* no log member: the key has no entry */
	KTPROOF_MALFORMED, /* the member, leaf or proof is not well formed */
	KTPROOF_KEY_MISMATCH, /* the entry is of another address or key */
	KTPROOF_BAD_HEAD, /* the checkpoint is not the log key's */
	KTPROOF_NOT_INCLUDED, /* the proof does not lead to the head's root */
};

struct ktproof {
	uint64_t index;
	struct tlog_leaf leaf;
	unsigned char leaf_hash[TLOG_HASH_LEN];
	size_t n;
	unsigned char proof[TLOG_MAX_PROOF][TLOG_HASH_LEN];
	const char *note; /* the checkpoint, inside the JSON it came from */
	size_t note_len;
	struct tlog_checkpoint cp; /* filled by ktproof_check */
};

/* Parses log (the member; NULL or null: KTPROOF_NOT_LOGGED) into out. */
enum ktproof_status ktproof_parse(const json_t *log, struct ktproof *out);

/*
 * Whether p's leaf is of email's keys: the b64u public keys x25519_pk and
 * ed25519_pk, either NULL when the answer does not hand it out (at least
 * one must be given). KTPROOF_OK or KTPROOF_KEY_MISMATCH.
 */
enum ktproof_status ktproof_match(const struct ktproof *p, const char *email,
    const char *x25519_pk, const char *ed25519_pk);

/*
 * Whether key_id (b64u, as the answer names the key: what the pins of
 * client/pins.h compare) is that of p's leaf: its X25519 hash's first 16
 * bytes. Needed where the answer names the key by its id only (a message's
 * sender). KTPROOF_OK or KTPROOF_KEY_MISMATCH.
 */
enum ktproof_status ktproof_match_key_id(
    const struct ktproof *p, const char *key_id);

/* Opens p's checkpoint with v into p->cp and verifies the inclusion. */
enum ktproof_status ktproof_check(
    const struct tlog_verifier *v, struct ktproof *p);

/* "not_logged", "malformed", ... */
const char *ktproof_status_name(enum ktproof_status st);

/* A JSON array of b64u hashes (at most TLOG_MAX_PROOF) into out; the
 * count, or -1. */
int ktproof_hashes(const json_t *arr, unsigned char (*out)[TLOG_HASH_LEN]);

#endif
