/*
 * Key ids and fingerprint words (docs/format-stf1.md §1): key_id =
 * SHA-256(pk)[:16] of a 32-byte raw public key; the words are the first 60
 * bits of the key id, big-endian, as six 10-bit indexes into the Dutch
 * fingerprint word list (envelope/wordlist.h).
 */
#ifndef ST_KEYID_H
#define ST_KEYID_H

#include <stddef.h>

#define KEYID_LEN 16
#define KEYID_PK_LEN 32
#define KEYID_WORDS 6
#define KEYID_WORDS_MAX 56 /* 6 words of <= 8 letters, 5 spaces, NUL */

/* out = SHA-256(pk)[:16]; 0 or -1. */
int keyid_compute(
    unsigned char out[KEYID_LEN], const unsigned char pk[KEYID_PK_LEN]);
/* The six word indexes (0..1023) of a key id. */
void keyid_word_indexes(
    unsigned idx[KEYID_WORDS], const unsigned char id[KEYID_LEN]);
/* "word word word word word" into out (>= KEYID_WORDS_MAX); 0 or -1. */
int keyid_words(char *out, size_t outlen, const unsigned char id[KEYID_LEN]);

#endif
