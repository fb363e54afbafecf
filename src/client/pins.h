/*
 * THE gate for other people's public keys in the CLI (SECURITY.md 1.8 tier
 * 1), the twin of web/src/account/page/peerkeys.js. Every public key the CLI is
 * about to trust passes pins_check() here, and nothing else decides:
 *
 *   PINS_SEND     the recipient's key (an account or a department mailbox),
 *                 from GET /api/v1/keys before the message is created and
 *                 again from the POST /api/v1/messages answer, before
 *                 anything is encrypted (cmd_send.c, sendresume.c);
 *   PINS_RECEIVE  the sender's key id and signing key of a message, before
 *                 its manifest is trusted or a byte is written (cmd_receive.c);
 *   PINS_SELF     the account's own keys at login: the directory's answer
 *                 for the own address must be the keys just unlocked
 *                 (pins_check_own; self-monitoring, session.c).
 *
 * What it decides, in this order:
 *   1. pins_key_read: the answer is consistent: key_id is
 *      b64u(SHA-256(x25519_pk)[:16]) when the key itself is served.
 *   2. Tier 2, key transparency: before any pin is consulted, the CLI's
 *      gate trust_served (cli/trust.h) passes the served key through
 *      cli_kt_served (cli/kt.h: its log entry, inclusion proof and signed
 *      head, consistent with the heads seen before). A key without a valid
 *      entry stops there (exit 6), on first contact too; only a logged key
 *      gets here.
 *   3. The pins (trust on first use): no pin: pinned now (PINS_NEW); the
 *      pinned key, or for PINS_RECEIVE any key trusted before for the address
 *      (a mailbox re-key, older messages): PINS_SAME; a served "no key" for an
 *      address without a pin: PINS_NONE. Otherwise the caller must refuse:
 *      PINS_CHANGED (another key id), PINS_REMOVED (the address had a key
 *      and now has none: the message would go through the server by link),
 *      PINS_SIGN (the same key id with another signing key; no legitimate
 *      flow makes one). Only pins_accept() — `securetransfer keys trust
 *      ADDRESS WORDS`, after the user compared the six words with the
 *      colleague by phone — moves a pin to a new key.
 *
 * The pin file is <config dir>/pins.json, mode 0600:
 *   {"v":1,"pins":{address:{"kind","key_id","sign_pk","since","confirmed"?,
 *    "prev"?:[{"key_id","sign_pk"}]}}}
 * written whole through a new file and rename (fs_write_private). The
 * server never sees it, so it cannot edit or roll back a pin.
 */
#ifndef ST_PINS_H
#define ST_PINS_H

#include <jansson.h>
#include <stddef.h>

enum pins_purpose { PINS_SEND, PINS_RECEIVE };

enum pins_verdict {
	PINS_NEW, /* no pin yet: pinned now (saved) */
	PINS_SAME, /* the pinned key (or one trusted before, for receive) */
	PINS_NONE, /* no key served, none pinned: the link flow */
	PINS_CHANGED, /* another key id than the pinned one */
	PINS_REMOVED, /* pinned, and now the server serves no key */
	PINS_SIGN, /* same key id, another signing key: never accepted */
	PINS_ERROR /* the pin file could not be written */
};

#define PINS_ADDR_MAX 254
#define PINS_KID_LEN 22 /* b64u of 16 bytes */
#define PINS_PK_LEN 43 /* b64u of 32 bytes */

/* A key as the server served it. */
struct pins_key {
	char address[PINS_ADDR_MAX + 1]; /* lower-case */
	int has_key; /* 0: the address has no key (the link flow) */
	int mailbox; /* a department mailbox */
	char key_id[PINS_KID_LEN + 1];
	char sign_pk[PINS_PK_LEN + 1]; /* "" when not served */
};

/*
 * Reads one served key: a GET /api/v1/keys answer, a POST /api/v1/messages
 * "recipient" or a message's "sender" ({email, kind, key_id, x25519_pk?,
 * ed25519_pk?}; kind "link"/"none" or no key_id: no key). -1 when it is
 * malformed or key_id is not the hash of x25519_pk.
 */
int pins_key_read(struct pins_key *k, const json_t *served);

struct pins;

/* Loads path (a missing file is an empty store); NULL if it is unreadable
 * or not a pin file. */
struct pins *pins_load(const char *path);
void pins_free(struct pins *p);

/*
 * Decides about k for purpose (see above). On PINS_NEW the pin is made and
 * the file saved (PINS_ERROR if that fails). On a refusal *old (if not
 * NULL) gets the pinned key id, "" when none.
 */
enum pins_verdict pins_check(struct pins *p, const struct pins_key *k,
    enum pins_purpose purpose, char old[PINS_KID_LEN + 1]);

/*
 * The self-check: the directory's answer for the own address must be the
 * unlocked keys (key_id and ed25519 public key, b64u). 0, or -1.
 */
int pins_check_own(
    const struct pins_key *served, const char *key_id, const char *ed25519_pk);

/* Pins k (has_key) as confirmed by the user; the old key moves to prev.
 * Saves; 0 or -1. */
int pins_accept(struct pins *p, const struct pins_key *k);
/* Forgets the pin of address; 1 forgotten, 0 none, -1 not saved. */
int pins_forget(struct pins *p, const char *address);
/* The pin of address (borrowed; NULL if none): the JSON object above. */
const json_t *pins_get(const struct pins *p, const char *address);
/* Every pin (borrowed). */
const json_t *pins_all(const struct pins *p);

/* "word word word word word" of a b64u key id into out (>= 48 bytes), or
 * "" when it is not one. */
void pins_words(char *out, size_t outlen, const char *key_id);

#endif
