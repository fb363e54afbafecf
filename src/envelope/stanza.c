/* X25519 and link stanzas; see stanza.h. */
#include "util/common.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "envelope/aead.h"
#include "envelope/kdf.h"
#include "envelope/keyid.h"
#include "envelope/stanza.h"
#include "util/rand.h"

#define STANZA_LABEL_X25519 "securetransfer/v1/x25519-wrap"

static const unsigned char zero_nonce[AEAD_NONCE_LEN];

int
stanza_x25519_public(unsigned char pk[32], const unsigned char sk[32])
{
	EVP_PKEY *key;
	size_t len = 32;
	int rc;

	key = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, sk, 32);
	if (key == NULL)
		return -1;
	rc = EVP_PKEY_get_raw_public_key(key, pk, &len) == 1 && len == 32;
	EVP_PKEY_free(key);
	return rc ? 0 : -1;
}

/*
 * ss = X25519(sk, pk). OpenSSL's X25519 refuses an all-zero result (a
 * low-order peer point) and fails nothing else for 32-byte inputs, so a
 * failed derive is reported as the zero shared secret; a zero result that
 * got through is caught too.
 */
static enum stf1_err
x25519(unsigned char ss[32], const unsigned char sk[32],
    const unsigned char pk[32])
{
	static const unsigned char zero[32];
	EVP_PKEY *priv = NULL, *pub = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	enum stf1_err err = STF1_ERR_CRYPTO;
	size_t len = 32;

	priv = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, sk, 32);
	pub = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, pk, 32);
	if (priv == NULL || pub == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_pkey(NULL, priv, NULL)) == NULL ||
	    EVP_PKEY_derive_init(ctx) != 1 ||
	    EVP_PKEY_derive_set_peer_ex(ctx, pub, 0) != 1)
		goto out;
	err = STF1_ERR_ZERO_SHARED_SECRET;
	if (EVP_PKEY_derive(ctx, ss, &len) != 1 || len != 32 ||
	    CRYPTO_memcmp(ss, zero, 32) == 0) {
		OPENSSL_cleanse(ss, 32);
		goto out;
	}
	err = STF1_OK;
out:
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(priv);
	EVP_PKEY_free(pub);
	return err;
}

/* WK from ss; aad = msg_id || key_id_r into aad[32]. */
static enum stf1_err
wrap_key(unsigned char wk[32], unsigned char aad[32],
    const unsigned char ss[32], const unsigned char eph_pk[32],
    const unsigned char pk_r[32], const unsigned char msg_id[16])
{
	unsigned char salt[64], info[sizeof(STANZA_LABEL_X25519) - 1 + 32];
	size_t n = sizeof(STANZA_LABEL_X25519) - 1;

	memcpy(aad, msg_id, 16);
	if (keyid_compute(aad + 16, pk_r) != 0)
		return STF1_ERR_CRYPTO;
	memcpy(salt, eph_pk, 32);
	memcpy(salt + 32, pk_r, 32);
	memcpy(info, STANZA_LABEL_X25519, n);
	memcpy(info + n, aad, 32);
	if (kdf_hkdf(wk, ss, 32, salt, sizeof(salt), info, sizeof(info)) != 0)
		return STF1_ERR_CRYPTO;
	return STF1_OK;
}

enum stf1_err
stanza_x25519_wrap_eph(unsigned char out[STANZA_X25519_LEN],
    const unsigned char k[32], const unsigned char msg_id[16],
    const unsigned char pk_r[32], const unsigned char eph_sk[32])
{
	unsigned char ss[32], wk[32], aad[32];
	enum stf1_err err;

	if (stanza_x25519_public(out, eph_sk) != 0)
		return STF1_ERR_CRYPTO;
	if ((err = x25519(ss, eph_sk, pk_r)) != STF1_OK)
		return err;
	err = wrap_key(wk, aad, ss, out, pk_r, msg_id);
	if (err == STF1_OK &&
	    aead_seal(out + 32, wk, zero_nonce, aad, sizeof(aad), k, 32) != 0)
		err = STF1_ERR_CRYPTO;
	OPENSSL_cleanse(ss, sizeof(ss));
	OPENSSL_cleanse(wk, sizeof(wk));
	return err;
}

enum stf1_err
stanza_x25519_wrap(unsigned char out[STANZA_X25519_LEN],
    const unsigned char k[32], const unsigned char msg_id[16],
    const unsigned char pk_r[32])
{
	unsigned char eph_sk[32];
	enum stf1_err err;

	rand_bytes(eph_sk, sizeof(eph_sk));
	err = stanza_x25519_wrap_eph(out, k, msg_id, pk_r, eph_sk);
	OPENSSL_cleanse(eph_sk, sizeof(eph_sk));
	return err;
}

enum stf1_err
stanza_x25519_unwrap(unsigned char k[32],
    const unsigned char st[STANZA_X25519_LEN], const unsigned char msg_id[16],
    const unsigned char sk_r[32])
{
	unsigned char ss[32], wk[32], aad[32], pk_r[32];
	enum stf1_err err;

	if (stanza_x25519_public(pk_r, sk_r) != 0)
		return STF1_ERR_CRYPTO;
	if ((err = x25519(ss, sk_r, st)) != STF1_OK)
		return err;
	err = wrap_key(wk, aad, ss, st, pk_r, msg_id);
	if (err == STF1_OK &&
	    aead_open(k, wk, zero_nonce, aad, sizeof(aad), st + 32, 48) != 0)
		err = STF1_ERR_STANZA_AUTH;
	OPENSSL_cleanse(ss, sizeof(ss));
	OPENSSL_cleanse(wk, sizeof(wk));
	return err;
}

static void
link_aad(unsigned char aad[20], const unsigned char msg_id[16])
{
	memcpy(aad, msg_id, 16);
	memcpy(aad + 16, "link", 4);
}

enum stf1_err
stanza_link_wrap(unsigned char out[STANZA_LINK_LEN], const unsigned char k[32],
    const unsigned char msg_id[16], const unsigned char s[32],
    const unsigned char r_srv[32])
{
	unsigned char lwk[32], aad[20];
	enum stf1_err err = STF1_OK;

	link_aad(aad, msg_id);
	if (kdf_link_wrap_key(lwk, s, r_srv, msg_id) != 0 ||
	    aead_seal(out, lwk, zero_nonce, aad, sizeof(aad), k, 32) != 0)
		err = STF1_ERR_CRYPTO;
	OPENSSL_cleanse(lwk, sizeof(lwk));
	return err;
}

enum stf1_err
stanza_link_unwrap(unsigned char k[32], const unsigned char st[STANZA_LINK_LEN],
    const unsigned char msg_id[16], const unsigned char s[32],
    const unsigned char r_srv[32])
{
	unsigned char lwk[32], aad[20];
	enum stf1_err err = STF1_OK;

	link_aad(aad, msg_id);
	if (kdf_link_wrap_key(lwk, s, r_srv, msg_id) != 0)
		err = STF1_ERR_CRYPTO;
	else if (aead_open(k, lwk, zero_nonce, aad, sizeof(aad), st,
	             STANZA_LINK_LEN) != 0)
		err = STF1_ERR_STANZA_AUTH;
	OPENSSL_cleanse(lwk, sizeof(lwk));
	return err;
}

/* aad = "securetransfer/v1/link-secret" || msg_id */
#define LINK_SECRET_LABEL "securetransfer/v1/link-secret"
#define LINK_SECRET_AAD_LEN (sizeof(LINK_SECRET_LABEL) - 1 + 16)

static void
link_secret_aad(
    unsigned char aad[LINK_SECRET_AAD_LEN], const unsigned char msg_id[16])
{
	memcpy(aad, LINK_SECRET_LABEL, sizeof(LINK_SECRET_LABEL) - 1);
	memcpy(aad + sizeof(LINK_SECRET_LABEL) - 1, msg_id, 16);
}

enum stf1_err
stanza_link_secret_seal(unsigned char out[STANZA_LINK_SECRET_LEN],
    const unsigned char s[32], const unsigned char k[32],
    const unsigned char msg_id[16])
{
	unsigned char lsk[32], aad[LINK_SECRET_AAD_LEN];
	enum stf1_err err = STF1_OK;

	/* A random nonce: a retried send seals a new S under the same LSK. */
	rand_bytes(out, AEAD_NONCE_LEN);
	link_secret_aad(aad, msg_id);
	if (kdf_link_secret_key(lsk, k, msg_id) != 0 ||
	    aead_seal(
	        out + AEAD_NONCE_LEN, lsk, out, aad, sizeof(aad), s, 32) != 0)
		err = STF1_ERR_CRYPTO;
	OPENSSL_cleanse(lsk, sizeof(lsk));
	return err;
}

enum stf1_err
stanza_link_secret_open(unsigned char s[32],
    const unsigned char sealed[STANZA_LINK_SECRET_LEN],
    const unsigned char k[32], const unsigned char msg_id[16])
{
	unsigned char lsk[32], aad[LINK_SECRET_AAD_LEN];
	enum stf1_err err = STF1_OK;

	link_secret_aad(aad, msg_id);
	if (kdf_link_secret_key(lsk, k, msg_id) != 0)
		err = STF1_ERR_CRYPTO;
	else if (aead_open(s, lsk, sealed, aad, sizeof(aad),
	             sealed + AEAD_NONCE_LEN,
	             STANZA_LINK_SECRET_LEN - AEAD_NONCE_LEN) != 0)
		err = STF1_ERR_STANZA_AUTH;
	OPENSSL_cleanse(lsk, sizeof(lsk));
	return err;
}
