/*
 * The stored verifier of an account's auth key (SECURITY.md 1.2, 1.7):
 * Argon2id (libsodium crypto_pwhash_str, 19 MiB, t=2) over
 * HMAC-SHA-256(pepper, auth_key). The auth key is what the browser
 * derives from the password; the password itself never arrives.
 * At most password_parallel hashes run at once; others wait up to two
 * seconds and then get PW_BUSY, which the API answers with 503.
 */
#ifndef ST_PASSWORD_H
#define ST_PASSWORD_H

#include <sodium.h>

#define PW_AUTH_KEY_LEN 32
#define PW_VERIFIER_MAX crypto_pwhash_STRBYTES

enum pw_result { PW_OK, PW_MISMATCH, PW_BUSY, PW_ERROR };

/* Sets how many hashes may run at once (0: one per core). */
void password_init(unsigned parallel);
enum pw_result password_make(const unsigned char *pepper,
    const unsigned char auth_key[PW_AUTH_KEY_LEN], char out[PW_VERIFIER_MAX]);
/* verifier NULL: spends the same time and returns PW_MISMATCH. */
enum pw_result password_check(const unsigned char *pepper,
    const unsigned char auth_key[PW_AUTH_KEY_LEN], const char *verifier);

#endif
