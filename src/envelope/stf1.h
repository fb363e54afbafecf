/*
 * STF1, the SecureTransfer file format (docs/format-stf1.md): constants,
 * the error codes every envelope module returns, the size formula and its
 * inverse, and the 96-byte header (build, parse, verify).
 */
#ifndef ST_STF1_H
#define ST_STF1_H

#include <stddef.h>
#include <stdint.h>

#define STF1_KEY_LEN 32
#define STF1_MSG_ID_LEN 16
#define STF1_SALT_LEN 32
#define STF1_HEADER_LEN 96
#define STF1_HEADER_MAC_OFF 64
#define STF1_TAG_LEN 16
#define STF1_NONCE_LEN 12
#define STF1_VERSION 0x01
#define STF1_SUITE 0x01
#define STF1_LOG2_DEFAULT 20
#define STF1_LOG2_MIN 16
#define STF1_LOG2_MAX 22
#define STF1_MAX_RECORDS (UINT64_C(1) << 32)

/*
 * Every failure of the envelope code. The names (stf1_err_name) are the
 * stable codes of docs/format-stf1.md §7, shared with the browser code.
 */
enum stf1_err {
	STF1_OK = 0,
	STF1_ERR_MAGIC,
	STF1_ERR_VERSION,
	STF1_ERR_SUITE,
	STF1_ERR_RECORD_SIZE,
	STF1_ERR_FLAGS,
	STF1_ERR_RESERVED,
	STF1_ERR_HEADER_MAC,
	STF1_ERR_RECORD_AUTH,
	STF1_ERR_TRUNCATED,
	STF1_ERR_TRAILING,
	STF1_ERR_SHORT_RECORD,
	STF1_ERR_COUNTER,
	STF1_ERR_SIZE,
	STF1_ERR_ZERO_SHARED_SECRET,
	STF1_ERR_STANZA_AUTH,
	STF1_ERR_MANIFEST_INVALID,
	STF1_ERR_MANIFEST_AUTH,
	STF1_ERR_SIGNATURE,
	STF1_ERR_PARAMS,
	STF1_ERR_ARGUMENT,
	STF1_ERR_CRYPTO, /* libcrypto failed (C only) */
	STF1_ERR_IO, /* a write callback failed (C only) */
	STF1_ERR_COUNT_
};

/* "ok", "magic", "header_mac", ...; never NULL ("unknown" if out of range). */
const char *stf1_err_name(enum stf1_err e);
/* The code for a name, or -1. */
int stf1_err_from_name(const char *name);

/* The fields of a header; the MAC is not part of it. */
struct stf1_file {
	unsigned char msg_id[STF1_MSG_ID_LEN];
	uint32_t file_index;
	unsigned char salt[STF1_SALT_LEN];
	unsigned record_size_log2; /* 16..22 */
};

/*
 * The exact ciphertext size of p plaintext bytes:
 * 96 + p + 16 * max(1, ceil(p / R)). STF1_ERR_RECORD_SIZE for a log2
 * outside 16..22, STF1_ERR_SIZE if p needs more than 2^32 records.
 */
enum stf1_err stf1_ciphertext_size(uint64_t p, unsigned log2, uint64_t *c);
/* The inverse; STF1_ERR_SIZE for a size no plaintext size produces. */
enum stf1_err stf1_plaintext_size(uint64_t c, unsigned log2, uint64_t *p);
/* Number of records of p plaintext bytes (at least 1). */
uint64_t stf1_record_count(uint64_t p, unsigned log2);

/* Writes the 96-byte header of f under message key k (MAC included). */
enum stf1_err stf1_header_build(unsigned char out[STF1_HEADER_LEN],
    const unsigned char k[STF1_KEY_LEN], const struct stf1_file *f);
/*
 * Checks the fields in the order of §2 (magic .. reserved) and fills f;
 * does not check the MAC. STF1_ERR_TRUNCATED if len < 96.
 */
enum stf1_err stf1_header_parse(
    const unsigned char *h, size_t len, struct stf1_file *f);
/* stf1_header_parse, then the header MAC under k (constant time). */
enum stf1_err stf1_header_verify(const unsigned char *h, size_t len,
    const unsigned char k[STF1_KEY_LEN], struct stf1_file *f);
/*
 * stf1_header_verify bound to the file the caller expects (§2.2 step 1):
 * HK_j is derived from msg_id and file_index given here, not from the
 * header, so a header of another file or message fails as
 * STF1_ERR_HEADER_MAC (as does a header whose ids differ, checked before
 * the MAC). The structural errors of stf1_header_parse come first. f is
 * filled from the header even on failure; use it only on STF1_OK.
 */
enum stf1_err stf1_header_verify_ids(const unsigned char *h, size_t len,
    const unsigned char k[STF1_KEY_LEN],
    const unsigned char msg_id[STF1_MSG_ID_LEN], uint32_t file_index,
    struct stf1_file *f);

/* nonce_i = uint88_be(i) || last. */
void stf1_nonce(unsigned char out[STF1_NONCE_LEN], uint64_t i, int last);

#endif
