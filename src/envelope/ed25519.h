/*
 * Ed25519 (pure, RFC 8032) on EVP_PKEY with raw 32-byte keys: the secret
 * key is the 32-byte seed. Signatures are 64 bytes.
 */
#ifndef ST_ED25519_H
#define ST_ED25519_H

#include <stddef.h>

#define ED25519_SEED_LEN 32
#define ED25519_PK_LEN 32
#define ED25519_SIG_LEN 64

/* pk of seed; 0 or -1. */
int ed25519_public(unsigned char pk[ED25519_PK_LEN],
    const unsigned char seed[ED25519_SEED_LEN]);
/* sig = Ed25519(seed, msg); 0 or -1. */
int ed25519_sign(unsigned char sig[ED25519_SIG_LEN],
    const unsigned char seed[ED25519_SEED_LEN], const unsigned char *msg,
    size_t len);
/* 0 if sig is a valid signature of msg under pk, else -1. */
int ed25519_verify(const unsigned char sig[ED25519_SIG_LEN],
    const unsigned char pk[ED25519_PK_LEN], const unsigned char *msg,
    size_t len);

#endif
