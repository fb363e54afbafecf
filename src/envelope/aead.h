/*
 * One-shot AES-256-GCM with a 12-byte nonce and a 16-byte tag, for the
 * small objects of the envelope (stanzas, the manifest). Records of a file
 * go through stf1_enc/stf1_dec, which keep one cipher context per file.
 */
#ifndef ST_AEAD_H
#define ST_AEAD_H

#include <stddef.h>

#define AEAD_KEY_LEN 32
#define AEAD_NONCE_LEN 12
#define AEAD_TAG_LEN 16

/* out (len + 16 bytes) = ciphertext || tag; 0 or -1. */
int aead_seal(unsigned char *out, const unsigned char key[AEAD_KEY_LEN],
    const unsigned char nonce[AEAD_NONCE_LEN], const unsigned char *aad,
    size_t aadlen, const unsigned char *in, size_t len);
/*
 * in = ciphertext || tag (len >= 16); out gets len - 16 bytes, only if the
 * tag verified (otherwise wiped). 0, or -1 on any failure.
 */
int aead_open(unsigned char *out, const unsigned char key[AEAD_KEY_LEN],
    const unsigned char nonce[AEAD_NONCE_LEN], const unsigned char *aad,
    size_t aadlen, const unsigned char *in, size_t len);

#endif
