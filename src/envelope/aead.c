/* One-shot AES-256-GCM on EVP; see aead.h. */
#include "util/common.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "envelope/aead.h"

int
aead_seal(unsigned char *out, const unsigned char key[AEAD_KEY_LEN],
    const unsigned char nonce[AEAD_NONCE_LEN], const unsigned char *aad,
    size_t aadlen, const unsigned char *in, size_t len)
{
	EVP_CIPHER_CTX *ctx;
	int outl, ok;

	if (len > INT_MAX - AEAD_TAG_LEN || aadlen > INT_MAX ||
	    (ctx = EVP_CIPHER_CTX_new()) == NULL)
		return -1;
	ok = EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, nonce) ==
	        1 &&
	    EVP_EncryptUpdate(ctx, NULL, &outl, aad, (int)aadlen) == 1 &&
	    EVP_EncryptUpdate(ctx, out, &outl, in, (int)len) == 1 &&
	    EVP_EncryptFinal_ex(ctx, out + len, &outl) == 1 &&
	    EVP_CIPHER_CTX_ctrl(
	        ctx, EVP_CTRL_GCM_GET_TAG, AEAD_TAG_LEN, out + len) == 1;
	EVP_CIPHER_CTX_free(ctx);
	return ok ? 0 : -1;
}

int
aead_open(unsigned char *out, const unsigned char key[AEAD_KEY_LEN],
    const unsigned char nonce[AEAD_NONCE_LEN], const unsigned char *aad,
    size_t aadlen, const unsigned char *in, size_t len)
{
	EVP_CIPHER_CTX *ctx;
	size_t n;
	int outl, ok;

	if (len < AEAD_TAG_LEN || len > INT_MAX || aadlen > INT_MAX ||
	    (ctx = EVP_CIPHER_CTX_new()) == NULL)
		return -1;
	n = len - AEAD_TAG_LEN;
	ok = EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, nonce) ==
	        1 &&
	    EVP_DecryptUpdate(ctx, NULL, &outl, aad, (int)aadlen) == 1 &&
	    EVP_DecryptUpdate(ctx, out, &outl, in, (int)n) == 1 &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, AEAD_TAG_LEN,
	        (void *)(uintptr_t)(in + n)) == 1 &&
	    EVP_DecryptFinal_ex(ctx, out + n, &outl) == 1;
	EVP_CIPHER_CTX_free(ctx);
	if (!ok)
		OPENSSL_cleanse(out, n);
	return ok ? 0 : -1;
}
