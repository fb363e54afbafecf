/*
 * The account key derivations of docs/accounts-keys.md in C, for the CLI:
 * exactly the browser's (web/src/account/worker/keys.js), checked against
 * tests/vectors/account.json.
 *
 *   MPK      = Argon2id(NFC(password), salt, m KiB, t, p = 1, 32 bytes)
 *   auth_key = HKDF(MPK, user_id, "securetransfer/v1/auth")
 *   KEK_pw   = HKDF(MPK, user_id, "securetransfer/v1/user-key-wrap")
 *   UK       = AES-GCM-open(KEK_pw, wrapped_uk_pw, "securetransfer/v1/user-key" ‖ user_id)
 *   sk       = PKCS#8 seed of AES-GCM-open(UK, wrapped_sk,
 *              "securetransfer/v1/sk" ‖ user_id ‖ key_id(pk) ‖ "X25519"|"Ed25519")
 *
 * Every secret output is the caller's to wipe (sodium_memzero).
 */
#ifndef ST_ACCT_H
#define ST_ACCT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define ACCT_KEY_LEN 32
#define ACCT_UID_LEN 16
#define ACCT_SALT_LEN 16
#define ACCT_WRAPPED_UK_LEN 60
#define ACCT_WRAPPED_SK_LEN 76

/* The client's own KDF parameters and floor (W10). */
#define ACCT_KDF_M_MIN 65536u /* KiB */
#define ACCT_KDF_M_MAX (4u * 1024u * 1024u)
#define ACCT_KDF_T_MIN 3u
#define ACCT_KDF_T_MAX 64u

struct acct_kdf {
	uint32_t m; /* KiB */
	uint32_t t;
};

/* The unlocked account: what `send` and `receive` need. */
struct acct_keys {
	char user_id[23]; /* b64u */
	unsigned char uid[ACCT_UID_LEN];
	unsigned char x_sk[32], x_pk[32]; /* X25519 */
	unsigned char ed_seed[32], ed_pk[32]; /* Ed25519 */
	unsigned char key_id[16]; /* SHA-256(x_pk)[:16] */
};

/*
 * The KDF object of a prelogin or account answer against the floor:
 * alg "argon2id", integers m in [65536, 4 GiB in KiB], t in [3, 64], p 1.
 * 0, or -1 (weak_kdf: derive nothing, send nothing).
 */
int acct_kdf_check(const json_t *kdf, struct acct_kdf *out);

/* MPK from a UTF-8 password (normalised to NFC here); 0 or -1. */
int acct_mpk(unsigned char mpk[ACCT_KEY_LEN], const char *password,
    const unsigned char salt[ACCT_SALT_LEN], const struct acct_kdf *kdf);
/* auth_key and KEK_pw from MPK (either may be NULL); 0 or -1. */
int acct_password_keys(unsigned char auth_key[ACCT_KEY_LEN],
    unsigned char kek_pw[ACCT_KEY_LEN], const unsigned char mpk[ACCT_KEY_LEN],
    const unsigned char uid[ACCT_UID_LEN]);
/* UK from wrapped_uk_pw (or _rec) under kek; -1 if it does not open. */
int acct_unwrap_uk(unsigned char uk[ACCT_KEY_LEN],
    const unsigned char kek[ACCT_KEY_LEN],
    const unsigned char wrapped[ACCT_WRAPPED_UK_LEN],
    const unsigned char uid[ACCT_UID_LEN]);
/*
 * The 32-byte secret of a wrapped private key for public key pk; alg is
 * "X25519" or "Ed25519". -1 if it does not open, or is not the PKCS#8
 * form of that algorithm.
 */
int acct_unwrap_sk(unsigned char sk[32], const unsigned char uk[ACCT_KEY_LEN],
    const unsigned char *wrapped, size_t len,
    const unsigned char uid[ACCT_UID_LEN], const unsigned char pk[32],
    const char *alg);

/*
 * The whole unlock from a login or GET /api/v1/account answer ({user,
 * keys}) and KEK_pw: unwraps UK and both private keys, and checks that the
 * server's key id is SHA-256(x25519_pk)[:16] and that each private key
 * gives its published public key. 0; -1 with *why "wrong_password"
 * (UK does not open), "key_changed" (anything after that) or "bad_answer".
 */
int acct_unlock(struct acct_keys *k, const json_t *answer,
    const unsigned char kek_pw[ACCT_KEY_LEN], const char **why);

/* Wipes k. */
void acct_keys_clear(struct acct_keys *k);

#endif
