/* HKDF and HMAC on EVP_KDF / EVP_MAC; see kdf.h. */
#include "util/common.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "envelope/kdf.h"

#define KDF_LABEL_FILE "securetransfer/v1/file"
#define KDF_LABEL_HMAC "securetransfer/v1/file-header-mac"
#define KDF_LABEL_MANIFEST "securetransfer/v1/manifest"
#define KDF_LABEL_LINK_AUTH "securetransfer/v1/link-auth"
#define KDF_LABEL_LINK_WRAP "securetransfer/v1/link-wrap"
#define KDF_LABEL_LINK_SECRET "securetransfer/v1/link-secret"

int
kdf_hkdf(unsigned char out[KDF_LEN], const unsigned char *ikm, size_t ikmlen,
    const unsigned char *salt, size_t saltlen, const unsigned char *info,
    size_t infolen)
{
	EVP_KDF *kdf = NULL;
	EVP_KDF_CTX *ctx = NULL;
	OSSL_PARAM params[5];
	int rc = -1;

	kdf = EVP_KDF_fetch(NULL, OSSL_KDF_NAME_HKDF, NULL);
	if (kdf == NULL || (ctx = EVP_KDF_CTX_new(kdf)) == NULL)
		goto out;
	/* OSSL_PARAM wants non-const pointers; HKDF only reads them. */
	params[0] = OSSL_PARAM_construct_utf8_string(
	    OSSL_KDF_PARAM_DIGEST, (char *)(uintptr_t) "SHA256", 0);
	params[1] = OSSL_PARAM_construct_octet_string(
	    OSSL_KDF_PARAM_KEY, (void *)(uintptr_t)ikm, ikmlen);
	params[2] = OSSL_PARAM_construct_octet_string(
	    OSSL_KDF_PARAM_SALT, (void *)(uintptr_t)salt, saltlen);
	params[3] = OSSL_PARAM_construct_octet_string(
	    OSSL_KDF_PARAM_INFO, (void *)(uintptr_t)info, infolen);
	params[4] = OSSL_PARAM_construct_end();
	if (EVP_KDF_derive(ctx, out, KDF_LEN, params) == 1)
		rc = 0;
out:
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	return rc;
}

/* info = label || msg_id || u32be(j), then HKDF(k, salt, info). */
static int
file_key(unsigned char out[KDF_LEN], const char *label,
    const unsigned char k[32], const unsigned char msg_id[16], uint32_t j,
    const unsigned char salt[32])
{
	unsigned char info[64];
	size_t n = strlen(label);

	memcpy(info, label, n);
	memcpy(info + n, msg_id, 16);
	info[n + 16] = (unsigned char)(j >> 24);
	info[n + 17] = (unsigned char)(j >> 16);
	info[n + 18] = (unsigned char)(j >> 8);
	info[n + 19] = (unsigned char)j;
	return kdf_hkdf(out, k, 32, salt, 32, info, n + 20);
}

int
kdf_file_keys(unsigned char fk[KDF_LEN], unsigned char hk[KDF_LEN],
    const unsigned char k[32], const unsigned char msg_id[16], uint32_t j,
    const unsigned char salt[32])
{
	if (fk != NULL && file_key(fk, KDF_LABEL_FILE, k, msg_id, j, salt) != 0)
		return -1;
	if (hk != NULL &&
	    file_key(hk, KDF_LABEL_HMAC, k, msg_id, j, salt) != 0) {
		if (fk != NULL)
			OPENSSL_cleanse(fk, KDF_LEN);
		return -1;
	}
	return 0;
}

int
kdf_manifest_key(unsigned char mk[KDF_LEN], const unsigned char k[32],
    const unsigned char msg_id[16])
{
	return kdf_hkdf(mk, k, 32, msg_id, 16,
	    (const unsigned char *)KDF_LABEL_MANIFEST,
	    sizeof(KDF_LABEL_MANIFEST) - 1);
}

int
kdf_link_secret_key(unsigned char out[KDF_LEN], const unsigned char k[32],
    const unsigned char msg_id[16])
{
	return kdf_hkdf(out, k, 32, msg_id, 16,
	    (const unsigned char *)KDF_LABEL_LINK_SECRET,
	    sizeof(KDF_LABEL_LINK_SECRET) - 1);
}

int
kdf_link_auth(unsigned char out[KDF_LEN], const unsigned char s[32],
    const unsigned char msg_id[16])
{
	return kdf_hkdf(out, s, 32, msg_id, 16,
	    (const unsigned char *)KDF_LABEL_LINK_AUTH,
	    sizeof(KDF_LABEL_LINK_AUTH) - 1);
}

int
kdf_link_wrap_key(unsigned char out[KDF_LEN], const unsigned char s[32],
    const unsigned char r_srv[32], const unsigned char msg_id[16])
{
	unsigned char ikm[64];
	int rc;

	memcpy(ikm, s, 32);
	memcpy(ikm + 32, r_srv, 32);
	rc = kdf_hkdf(out, ikm, sizeof(ikm), msg_id, 16,
	    (const unsigned char *)KDF_LABEL_LINK_WRAP,
	    sizeof(KDF_LABEL_LINK_WRAP) - 1);
	OPENSSL_cleanse(ikm, sizeof(ikm));
	return rc;
}

int
kdf_hmac(unsigned char out[KDF_LEN], const unsigned char *key, size_t keylen,
    const unsigned char *data, size_t len)
{
	size_t outlen = 0;

	if (EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, key, keylen, data,
	        len, out, KDF_LEN, &outlen) == NULL ||
	    outlen != KDF_LEN)
		return -1;
	return 0;
}
