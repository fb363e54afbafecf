/*
 * One entry of the key-transparency log (docs/transparency.md, "Leaves"):
 * a key publication or change of one address, 120 bytes:
 *
 *   0   4  "STKT"
 *   4   1  version 1
 *   5   1  event (enum tlog_event)
 *   6   2  zero
 *   8   8  epoch: 1 for the address's first leaf, +1 for each later one
 *  16   8  time: seconds since 1970 when the server appended it
 *  24  32  SHA-256("securetransfer/v1/kt-address" ‖ 0x00 ‖ address)
 *  56  32  SHA-256(X25519 public key)   (its first 16 bytes: the key id)
 *  88  32  SHA-256(Ed25519 public key)
 *
 * integers big-endian. The log holds hashes, not addresses or keys: the
 * directory answer carries the keys, and a client checks they hash to the
 * leaf's.
 */
#ifndef ST_TLOG_LEAF_H
#define ST_TLOG_LEAF_H

#include <stddef.h>
#include <stdint.h>

#define TLOG_LEAF_LEN 120
#define TLOG_ADDR_LABEL "securetransfer/v1/kt-address"

enum tlog_event {
	TLOG_EV_ACCOUNT = 1, /* an account's keys, published when verified */
	TLOG_EV_RESET = 2, /* new keys after a reset without recovery key */
	TLOG_EV_MAILBOX = 3, /* a new key version of a department mailbox */
	TLOG_EV_EXISTING = 4, /* keys that were there before the log began */
	TLOG_EV_CHANGED = 5, /* any other change of an address's keys */
};
#define TLOG_EV_MAX 5

struct tlog_leaf {
	enum tlog_event event;
	uint64_t epoch;
	uint64_t time;
	unsigned char addr[32];
	unsigned char x25519[32];
	unsigned char ed25519[32];
};

/* The leaf's address hash of address (as the directory spells it). */
void tlog_address_hash(unsigned char out[32], const char *address);
/* SHA-256 of a 32-byte public key. */
void tlog_key_hash(unsigned char out[32], const unsigned char pk[32]);

void tlog_leaf_encode(
    unsigned char out[TLOG_LEAF_LEN], const struct tlog_leaf *leaf);
/*
 * Decodes exactly TLOG_LEAF_LEN bytes: -1 for another length, another
 * magic or version, an unknown event, non-zero padding, an epoch of 0 or
 * an epoch or time of 2^53 or more (JSON and JavaScript carry
 * integers exactly only below).
 */
int tlog_leaf_decode(
    struct tlog_leaf *leaf, const unsigned char *in, size_t len);
/* "account", "reset", ... for an event (NULL for an unknown one). */
const char *tlog_event_name(enum tlog_event ev);

#endif
