/*
 * The HKDF-SHA-256 derivations of docs/format-stf1.md §2-§4 and the
 * HMAC-SHA-256 header MAC, on OpenSSL's EVP_KDF and EVP_MAC. Every output
 * is 32 bytes; callers wipe them (OPENSSL_cleanse) when done.
 */
#ifndef ST_KDF_H
#define ST_KDF_H

#include <stddef.h>
#include <stdint.h>

#define KDF_LEN 32

/* HKDF(ikm, salt, info) into out[32]; 0 or -1. */
int kdf_hkdf(unsigned char out[KDF_LEN], const unsigned char *ikm,
    size_t ikmlen, const unsigned char *salt, size_t saltlen,
    const unsigned char *info, size_t infolen);

/* FK_j and HK_j of file j (either out may be NULL); 0 or -1. */
int kdf_file_keys(unsigned char fk[KDF_LEN], unsigned char hk[KDF_LEN],
    const unsigned char k[32], const unsigned char msg_id[16], uint32_t j,
    const unsigned char salt[32]);
/* MK = HKDF(K, msg_id, "securetransfer/v1/manifest"). */
int kdf_manifest_key(unsigned char mk[KDF_LEN], const unsigned char k[32],
    const unsigned char msg_id[16]);
/* LSK = HKDF(K, msg_id, "securetransfer/v1/link-secret"): seals the
 * sender's copy of S in strict delivery. */
int kdf_link_secret_key(unsigned char out[KDF_LEN], const unsigned char k[32],
    const unsigned char msg_id[16]);
/* link_auth = HKDF(S, msg_id, "securetransfer/v1/link-auth"). */
int kdf_link_auth(unsigned char out[KDF_LEN], const unsigned char s[32],
    const unsigned char msg_id[16]);
/* LWK = HKDF(S || R_srv, msg_id, "securetransfer/v1/link-wrap"). */
int kdf_link_wrap_key(unsigned char out[KDF_LEN], const unsigned char s[32],
    const unsigned char r_srv[32], const unsigned char msg_id[16]);

/* HMAC-SHA-256(key, data) into out[32]; 0 or -1. */
int kdf_hmac(unsigned char out[KDF_LEN], const unsigned char *key,
    size_t keylen, const unsigned char *data, size_t len);

#endif
