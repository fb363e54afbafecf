/*
 * Key ids and fingerprint words (docs/format-stf1.md §1): key_id =
 * SHA-256(pk)[:16] of a 32-byte raw public key; the words are the first 55
 * bits of the key id as five 11-bit BIP-39 English indexes.
 */
#ifndef ST_KEYID_H
#define ST_KEYID_H

#include <stddef.h>

#define KEYID_LEN 16
#define KEYID_PK_LEN 32
#define KEYID_WORDS 5
#define KEYID_WORDS_MAX 48 /* 5 words of <= 8 letters, 4 spaces, NUL */

/* out = SHA-256(pk)[:16]; 0 or -1. */
int keyid_compute(
    unsigned char out[KEYID_LEN], const unsigned char pk[KEYID_PK_LEN]);
/* The five word indexes (0..2047) of a key id. */
void keyid_word_indexes(
    unsigned idx[KEYID_WORDS], const unsigned char id[KEYID_LEN]);
/* "word word word word word" into out (>= KEYID_WORDS_MAX); 0 or -1. */
int keyid_words(char *out, size_t outlen, const unsigned char id[KEYID_LEN]);

#endif
