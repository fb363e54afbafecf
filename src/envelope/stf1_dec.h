/*
 * The STF1 streaming decryptor (docs/format-stf1.md §2-§2.2). Ciphertext
 * is pushed in chunks of any size; the plaintext of a record reaches the
 * write callback only after its tag verified, and in order. Memory is two
 * records (the plaintext until its tag verified, and room to rebuild the
 * ciphertext of a record that may be the final one, whose nonce differs),
 * whatever the file size. Whole records in the input are opened in place;
 * one that straddles two inputs is decrypted as it comes, not copied.
 *
 * The first error is sticky: later calls return it and release nothing.
 * After an error the plaintext already released (whole, verified records)
 * is a prefix of the file, never a whole file; callers discard it.
 */
#ifndef ST_STF1_DEC_H
#define ST_STF1_DEC_H

#include "envelope/stf1.h"
#include "envelope/stf1_enc.h"

struct stf1_dec;

/*
 * A decryptor for a whole object under message key k (copied; the caller
 * wipes its own), reading the header from the stream.
 */
struct stf1_dec *stf1_dec_new(
    const unsigned char k[STF1_KEY_LEN], stf1_write_fn write, void *arg);
/*
 * Binds d to the file the caller expects (docs/format-stf1.md §2.2 step
 * 1): the header MAC key and the record key are derived from msg_id and
 * file_index given here instead of from the header, so the header of
 * another file of the same message, or of another message under the same
 * K, fails as STF1_ERR_HEADER_MAC before any record is decrypted, and
 * nothing is released. Without it the decryptor accepts any file under k
 * and the caller must compare stf1_dec_file()'s msg_id and file_index
 * itself. Call before the first stf1_dec_update; STF1_ERR_ARGUMENT (and
 * no change) after it, or after an error. msg_id is copied.
 */
enum stf1_err stf1_dec_expect(struct stf1_dec *d,
    const unsigned char msg_id[STF1_MSG_ID_LEN], uint32_t file_index);
/*
 * A decryptor for records from start on, for Range reads: header is the
 * object's 96-byte header (verified here), the stream starts at offset
 * 96 + start * (R + 16). NULL with *err set if the header fails or start
 * is at or past 2^32 (STF1_ERR_COUNTER).
 */
struct stf1_dec *stf1_dec_new_range(const unsigned char k[STF1_KEY_LEN],
    const unsigned char header[STF1_HEADER_LEN], uint64_t start,
    stf1_write_fn write, void *arg, enum stf1_err *err);
/*
 * stf1_dec_new_range bound to the expected msg_id and file_index, as
 * stf1_dec_expect: a header of another file fails here with
 * STF1_ERR_HEADER_MAC (NULL, *err set).
 */
struct stf1_dec *stf1_dec_new_range_expect(const unsigned char k[STF1_KEY_LEN],
    const unsigned char header[STF1_HEADER_LEN], uint64_t start,
    const unsigned char msg_id[STF1_MSG_ID_LEN], uint32_t file_index,
    stf1_write_fn write, void *arg, enum stf1_err *err);
enum stf1_err stf1_dec_update(struct stf1_dec *d, const void *p, size_t len);
/*
 * End of the object: the bytes held back are the final record. Returns
 * STF1_OK only if the final record verified. An authentic empty final
 * record after record 0 is STF1_ERR_SHORT_RECORD (§2: only an empty file
 * has one), here and in stf1_dec_stop.
 */
enum stf1_err stf1_dec_final(struct stf1_dec *d);
/*
 * End of a range that may stop before the end of the object: a held-back
 * record is opened as non-final, or as final if that is what verifies.
 * Truncation is not detected (the caller asked for part of the file).
 */
enum stf1_err stf1_dec_stop(struct stf1_dec *d);
/* The verified header fields, or NULL before the header verified. */
const struct stf1_file *stf1_dec_file(const struct stf1_dec *d);
/* Plaintext bytes released so far. */
uint64_t stf1_dec_released(const struct stf1_dec *d);
/* Wipes and frees; NULL is a no-op. */
void stf1_dec_free(struct stf1_dec *d);

#endif
