/* Account keys; see acct.h. */
#include "util/common.h"

#include <sodium.h>

#include "client/acct.h"
#include "client/nfc.h"
#include "envelope/aead.h"
#include "envelope/ed25519.h"
#include "envelope/kdf.h"
#include "envelope/keyid.h"
#include "envelope/stanza.h"
#include "util/rand.h"

#define LABEL_AUTH "securetransfer/v1/auth"
#define LABEL_KEK "securetransfer/v1/user-key-wrap"
#define LABEL_UK_AAD "securetransfer/v1/user-key"
#define LABEL_SK_AAD "securetransfer/v1/sk"

/* RFC 8410 PKCS#8 of a 32-byte key: 16-byte prefix, then the seed. */
static const unsigned char pkcs8_x25519[16] = { 0x30, 0x2e, 0x02, 0x01, 0x00,
	0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20 };
static const unsigned char pkcs8_ed25519[16] = { 0x30, 0x2e, 0x02, 0x01, 0x00,
	0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20 };

int
acct_kdf_check(const json_t *kdf, struct acct_kdf *out)
{
	json_t *alg = json_object_get(kdf, "alg"), *m, *t, *p;

	m = json_object_get(kdf, "m");
	t = json_object_get(kdf, "t");
	p = json_object_get(kdf, "p");
	if (!json_is_object(kdf) || !json_is_string(alg) ||
	    strcmp(json_string_value(alg), "argon2id") != 0 ||
	    !json_is_integer(m) || !json_is_integer(t) || !json_is_integer(p))
		return -1;
	if (json_integer_value(m) < ACCT_KDF_M_MIN ||
	    json_integer_value(m) > ACCT_KDF_M_MAX ||
	    json_integer_value(t) < ACCT_KDF_T_MIN ||
	    json_integer_value(t) > ACCT_KDF_T_MAX ||
	    json_integer_value(p) != 1)
		return -1;
	out->m = (uint32_t)json_integer_value(m);
	out->t = (uint32_t)json_integer_value(t);
	return 0;
}

int
acct_mpk(unsigned char mpk[ACCT_KEY_LEN], const char *password,
    const unsigned char salt[ACCT_SALT_LEN], const struct acct_kdf *kdf)
{
	size_t len = 0;
	char *pw = nfc_dup(password, strlen(password), &len);
	int rc;

	if (pw == NULL)
		return -1;
	/* libsodium's Argon2id runs with p = 1, version 0x13. */
	rc = crypto_pwhash(mpk, ACCT_KEY_LEN, pw, len, salt, kdf->t,
	         (size_t)kdf->m * 1024u, crypto_pwhash_ALG_ARGON2ID13) == 0 ?
	    0 :
	    -1;
	free_secret(pw, len);
	return rc;
}

static int
hkdf_label(unsigned char out[32], const unsigned char *ikm,
    const unsigned char uid[ACCT_UID_LEN], const char *label)
{
	return kdf_hkdf(out, ikm, 32, uid, ACCT_UID_LEN,
	    (const unsigned char *)label, strlen(label));
}

int
acct_password_keys(unsigned char auth_key[ACCT_KEY_LEN],
    unsigned char kek_pw[ACCT_KEY_LEN], const unsigned char mpk[ACCT_KEY_LEN],
    const unsigned char uid[ACCT_UID_LEN])
{
	if (auth_key != NULL && hkdf_label(auth_key, mpk, uid, LABEL_AUTH) != 0)
		return -1;
	if (kek_pw != NULL && hkdf_label(kek_pw, mpk, uid, LABEL_KEK) != 0)
		return -1;
	return 0;
}

int
acct_unwrap_uk(unsigned char uk[ACCT_KEY_LEN],
    const unsigned char kek[ACCT_KEY_LEN],
    const unsigned char wrapped[ACCT_WRAPPED_UK_LEN],
    const unsigned char uid[ACCT_UID_LEN])
{
	unsigned char aad[sizeof(LABEL_UK_AAD) - 1 + ACCT_UID_LEN];

	memcpy(aad, LABEL_UK_AAD, sizeof(LABEL_UK_AAD) - 1);
	memcpy(aad + sizeof(LABEL_UK_AAD) - 1, uid, ACCT_UID_LEN);
	return aead_open(uk, kek, wrapped, aad, sizeof(aad), wrapped + 12,
	    ACCT_WRAPPED_UK_LEN - 12);
}

int
acct_unwrap_sk(unsigned char sk[32], const unsigned char uk[ACCT_KEY_LEN],
    const unsigned char *wrapped, size_t len,
    const unsigned char uid[ACCT_UID_LEN], const unsigned char pk[32],
    const char *alg)
{
	unsigned char aad[sizeof(LABEL_SK_AAD) - 1 + ACCT_UID_LEN + 16 + 8];
	unsigned char der[48], kid[16];
	const unsigned char *prefix;
	size_t al = strlen(alg), n = 0;
	int rc = -1;

	prefix = strcmp(alg, "X25519") == 0 ? pkcs8_x25519 :
	    strcmp(alg, "Ed25519") == 0     ? pkcs8_ed25519 :
	                                      NULL;
	if (prefix == NULL || len != ACCT_WRAPPED_SK_LEN ||
	    keyid_compute(kid, pk) != 0)
		return -1;
	memcpy(aad, LABEL_SK_AAD, sizeof(LABEL_SK_AAD) - 1);
	n = sizeof(LABEL_SK_AAD) - 1;
	memcpy(aad + n, uid, ACCT_UID_LEN);
	n += ACCT_UID_LEN;
	memcpy(aad + n, kid, 16);
	n += 16;
	memcpy(aad + n, alg, al);
	n += al;
	if (aead_open(der, uk, wrapped, aad, n, wrapped + 12, len - 12) == 0 &&
	    sodium_memcmp(der, prefix, 16) == 0) {
		memcpy(sk, der + 16, 32);
		rc = 0;
	}
	sodium_memzero(der, sizeof(der));
	return rc;
}

/* A b64u string field of obj of exactly n bytes into out. */
static int
b64_field(const json_t *obj, const char *key, unsigned char *out, size_t n)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s != NULL && b64u_decode(out, n, s, strlen(s)) == (long)n ? 0 :
	                                                                   -1;
}

static int
check_pairs(struct acct_keys *k)
{
	unsigned char pk[32];
	int ok;

	ok = stanza_x25519_public(pk, k->x_sk) == 0 &&
	    sodium_memcmp(pk, k->x_pk, 32) == 0;
	ok = ok && ed25519_public(pk, k->ed_seed) == 0 &&
	    sodium_memcmp(pk, k->ed_pk, 32) == 0;
	return ok ? 0 : -1;
}

int
acct_unlock(struct acct_keys *k, const json_t *answer,
    const unsigned char kek_pw[ACCT_KEY_LEN], const char **why)
{
	const json_t *user = json_object_get(answer, "user");
	const json_t *keys = json_object_get(answer, "keys");
	unsigned char wuk[ACCT_WRAPPED_UK_LEN], wx[ACCT_WRAPPED_SK_LEN],
	    wed[ACCT_WRAPPED_SK_LEN], uk[32], kid[16];
	const char *uid = json_string_value(json_object_get(user, "id"));
	int rc = -1;

	memset(k, 0, sizeof(*k));
	*why = "bad_answer";
	if (uid == NULL || !rand_id_valid(uid) ||
	    b64_field(user, "id", k->uid, 16) == -1 ||
	    b64_field(user, "key_id", kid, 16) == -1 ||
	    b64_field(keys, "wrapped_uk_pw", wuk, sizeof(wuk)) == -1 ||
	    b64_field(keys, "x25519_pk", k->x_pk, 32) == -1 ||
	    b64_field(keys, "ed25519_pk", k->ed_pk, 32) == -1 ||
	    b64_field(keys, "wrapped_x25519_sk", wx, sizeof(wx)) == -1 ||
	    b64_field(keys, "wrapped_ed25519_sk", wed, sizeof(wed)) == -1)
		goto out;
	memcpy(k->user_id, uid, RAND_ID_LEN + 1);
	*why = "wrong_password";
	if (acct_unwrap_uk(uk, kek_pw, wuk, k->uid) != 0)
		goto out;
	*why = "key_changed";
	if (keyid_compute(k->key_id, k->x_pk) != 0 ||
	    sodium_memcmp(k->key_id, kid, 16) != 0)
		goto out;
	if (acct_unwrap_sk(
	        k->x_sk, uk, wx, sizeof(wx), k->uid, k->x_pk, "X25519") != 0 ||
	    acct_unwrap_sk(k->ed_seed, uk, wed, sizeof(wed), k->uid, k->ed_pk,
	        "Ed25519") != 0 ||
	    check_pairs(k) != 0)
		goto out;
	*why = NULL;
	rc = 0;
out:
	sodium_memzero(uk, sizeof(uk));
	if (rc != 0)
		acct_keys_clear(k);
	return rc;
}

void
acct_keys_clear(struct acct_keys *k)
{
	sodium_memzero(k, sizeof(*k));
}
