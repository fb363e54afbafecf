/* Ed25519 on EVP_PKEY; see ed25519.h. */
#include "util/common.h"

#include <openssl/evp.h>

#include "envelope/ed25519.h"

int
ed25519_public(unsigned char pk[ED25519_PK_LEN],
    const unsigned char seed[ED25519_SEED_LEN])
{
	EVP_PKEY *key;
	size_t len = ED25519_PK_LEN;
	int ok;

	key = EVP_PKEY_new_raw_private_key(
	    EVP_PKEY_ED25519, NULL, seed, ED25519_SEED_LEN);
	if (key == NULL)
		return -1;
	ok = EVP_PKEY_get_raw_public_key(key, pk, &len) == 1 &&
	    len == ED25519_PK_LEN;
	EVP_PKEY_free(key);
	return ok ? 0 : -1;
}

int
ed25519_sign(unsigned char sig[ED25519_SIG_LEN],
    const unsigned char seed[ED25519_SEED_LEN], const unsigned char *msg,
    size_t len)
{
	EVP_PKEY *key;
	EVP_MD_CTX *ctx = NULL;
	size_t siglen = ED25519_SIG_LEN;
	int ok = 0;

	key = EVP_PKEY_new_raw_private_key(
	    EVP_PKEY_ED25519, NULL, seed, ED25519_SEED_LEN);
	if (key != NULL && (ctx = EVP_MD_CTX_new()) != NULL)
		ok = EVP_DigestSignInit(ctx, NULL, NULL, NULL, key) == 1 &&
		    EVP_DigestSign(ctx, sig, &siglen, msg, len) == 1 &&
		    siglen == ED25519_SIG_LEN;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
	return ok ? 0 : -1;
}

int
ed25519_verify(const unsigned char sig[ED25519_SIG_LEN],
    const unsigned char pk[ED25519_PK_LEN], const unsigned char *msg,
    size_t len)
{
	EVP_PKEY *key;
	EVP_MD_CTX *ctx = NULL;
	int ok = 0;

	key = EVP_PKEY_new_raw_public_key(
	    EVP_PKEY_ED25519, NULL, pk, ED25519_PK_LEN);
	if (key != NULL && (ctx = EVP_MD_CTX_new()) != NULL)
		ok = EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) == 1 &&
		    EVP_DigestVerify(ctx, sig, ED25519_SIG_LEN, msg, len) == 1;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
	return ok ? 0 : -1;
}
