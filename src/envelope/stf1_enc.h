/*
 * The STF1 streaming encryptor (docs/format-stf1.md §2). The caller gives
 * the total plaintext size up front (the browser knows File.size, the
 * server checks Upload-Length against it), so every record's nonce is known
 * before its first byte and nothing is buffered: plaintext goes through
 * AES-256-GCM in chunks of at most STF1_ENC_CHUNK bytes and comes out
 * through the write callback. Memory is STF1_ENC_CHUNK bytes.
 *
 * For tus resume an encryptor can start at any record s: it then produces
 * the ciphertext from offset 96 + s * (R + 16) on (no header), and expects
 * the plaintext from offset s * R on. Output is byte-identical to the tail
 * of a full encryption with the same inputs.
 */
#ifndef ST_STF1_ENC_H
#define ST_STF1_ENC_H

#include "envelope/stf1.h"

#define STF1_ENC_CHUNK (256 * 1024)

/* Receives output; returns 0, or non-zero to stop (STF1_ERR_IO). */
typedef int (*stf1_write_fn)(void *arg, const unsigned char *p, size_t len);

struct stf1_enc;

/*
 * An encryptor for file f of the message with key k (copied into the
 * cipher context; the caller keeps and wipes its own copy), size plaintext
 * bytes in total, starting at record start. NULL with *err set on bad
 * arguments: record size (STF1_ERR_RECORD_SIZE), a size needing more than
 * 2^32 records (STF1_ERR_SIZE), start beyond the last record
 * (STF1_ERR_ARGUMENT).
 */
struct stf1_enc *stf1_enc_new(const unsigned char k[STF1_KEY_LEN],
    const struct stf1_file *f, uint64_t size, uint64_t start,
    stf1_write_fn write, void *arg, enum stf1_err *err);
/* Encrypts len bytes; more than size in total is STF1_ERR_SIZE. */
enum stf1_err stf1_enc_update(struct stf1_enc *e, const void *p, size_t len);
/* Ends the stream; fewer than size bytes fed is STF1_ERR_SIZE. */
enum stf1_err stf1_enc_final(struct stf1_enc *e);
/* The 96-byte header (also for an encryptor that starts at s > 0). */
void stf1_enc_header(const struct stf1_enc *e, unsigned char out[96]);
/* Wipes and frees; NULL is a no-op. Errors are sticky until then. */
void stf1_enc_free(struct stf1_enc *e);

#endif
