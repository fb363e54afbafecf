/*
 * Signed tree heads as C2SP signed notes (c2sp.org/signed-note) whose text
 * is a C2SP checkpoint (c2sp.org/tlog-checkpoint), with the key texts of
 * golang.org/x/mod/sumdb/note, so the heads of this log read like those of
 * any other transparency log and witnesses can co-sign them
 * (docs/transparency.md, "Tree heads"):
 *
 *   <origin>\n<tree size>\n<base64 root>\n
 *   \n
 *   — <key name> <base64(key hash ‖ Ed25519 signature of the text)>\n
 *
 * The key name is the origin. key hash = SHA-256(name ‖ "\n" ‖ 0x01 ‖
 * public key)[:4], big-endian. Verifier key: "<name>+<hash hex>+<base64(0x01
 * ‖ public key)>"; signer key: "PRIVATE+KEY+<name>+<hash hex>+<base64(0x01
 * ‖ seed)>".
 *
 * Parsers here read outside input (a server's answer, a state file): they
 * are strict, bounded and never allocate.
 */
#ifndef ST_TLOG_NOTE_H
#define ST_TLOG_NOTE_H

#include <stddef.h>
#include <stdint.h>

#include "tlog/merkle.h"

#define TLOG_NAME_MAX 128
/* A checkpoint note of ours is ~230 bytes; room for 16 co-signatures. */
#define TLOG_NOTE_MAX 4096
/* The longest key text we make or read. */
#define TLOG_KEY_TEXT_MAX (TLOG_NAME_MAX + 80)
#define TLOG_NOTE_SIGS_MAX 16

struct tlog_verifier {
	char name[TLOG_NAME_MAX + 1];
	uint32_t hash;
	unsigned char pk[32];
};

struct tlog_signer {
	struct tlog_verifier v;
	unsigned char seed[32]; /* wipe with tlog_signer_wipe */
};

struct tlog_checkpoint {
	char origin[TLOG_NAME_MAX + 1];
	uint64_t size;
	unsigned char root[TLOG_HASH_LEN];
};

/* 1 if name can be a key name: 1..TLOG_NAME_MAX printable ASCII
 * characters, none of them a space or '+'. (Stricter than the spec, which
 * allows any UTF-8 without spaces: our own names never need more.) */
int tlog_name_ok(const char *name);

/* The key of a 32-byte seed named name (vectors, tests); 0 or -1. */
int tlog_signer_from_seed(
    struct tlog_signer *s, const unsigned char seed[32], const char *name);
/* A new key named name; 0 or -1 (bad name, no randomness). */
int tlog_signer_generate(struct tlog_signer *s, const char *name);
/* Parses a signer key text (trailing newline allowed); 0 or -1. */
int tlog_signer_parse(struct tlog_signer *s, const char *text, size_t len);
/* The signer key text (no newline) into out; 0 or -1 if it does not fit. */
int tlog_signer_format(const struct tlog_signer *s, char *out, size_t outlen);
void tlog_signer_wipe(struct tlog_signer *s);

/* Parses a verifier key text (trailing newline allowed): -1 for a bad
 * name, hash, algorithm or length, or a hash that does not match. */
int tlog_verifier_parse(struct tlog_verifier *v, const char *text, size_t len);
int tlog_verifier_format(
    const struct tlog_verifier *v, char *out, size_t outlen);

/* The checkpoint's note text (three lines) into out; its length or -1. */
int tlog_checkpoint_text(
    const struct tlog_checkpoint *cp, char *out, size_t outlen);

/*
 * The signed note of cp (whose origin must be the signer's name) into
 * out; its length, or -1 if it does not fit or signing fails.
 */
int tlog_checkpoint_sign(const struct tlog_signer *s,
    const struct tlog_checkpoint *cp, char *out, size_t outlen);

enum tlog_note_status {
	TLOG_NOTE_OK = 0,
	TLOG_NOTE_MALFORMED = -1, /* not a signed note, not a checkpoint */
	TLOG_NOTE_UNSIGNED = -2, /* no signature of the verifier's key */
	TLOG_NOTE_BAD_SIGNATURE = -3, /* the verifier's signature is wrong */
	TLOG_NOTE_WRONG_ORIGIN = -4, /* another log's head */
};

/*
 * Opens a signed checkpoint: the note must be well formed (UTF-8, no
 * control characters but newline, at most TLOG_NOTE_SIGS_MAX signature
 * lines), carry a valid signature by v (signatures of other keys, such as
 * witnesses', are ignored), and its text must be exactly origin (== v's
 * name), a size without leading zeros up to TLOG_MAX_SIZE and a canonical
 * base64 root. Fills cp only on TLOG_NOTE_OK.
 */
enum tlog_note_status tlog_checkpoint_open(const struct tlog_verifier *v,
    const char *note, size_t len, struct tlog_checkpoint *cp);

/* "malformed", "unsigned", ... */
const char *tlog_note_status_name(enum tlog_note_status st);

#endif
