/* COSE keys and signatures; see webauthn_key.h. */
#include "util/common.h"

#include <cbor.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include "domain/webauthn_key.h"
#include "util/rand.h"

/* COSE labels and values (RFC 9052/9053). */
#define COSE_KTY 1
#define COSE_ALG 3
#define COSE_CRV (-1)
#define COSE_X (-2)
#define COSE_Y (-3)
#define COSE_KTY_OKP 1
#define COSE_KTY_EC2 2
#define COSE_CRV_P256 1
#define COSE_CRV_ED25519 6

struct cose {
	int64_t kty, alg, crv;
	const unsigned char *x, *y;
	size_t xlen, ylen;
	int have; /* bit per label seen */
};

/* A CBOR integer that fits int64_t. */
static int
cbor_int64(cbor_item_t *item, int64_t *out)
{
	uint64_t v;

	if (!cbor_isa_uint(item) && !cbor_isa_negint(item))
		return -1;
	v = cbor_get_int(item);
	if (v > (uint64_t)INT64_MAX)
		return -1;
	*out = cbor_isa_uint(item) ? (int64_t)v : -1 - (int64_t)v;
	return 0;
}

static int
cose_bytes(cbor_item_t *v, const unsigned char **p, size_t *len)
{
	if (!cbor_isa_bytestring(v) || !cbor_bytestring_is_definite(v))
		return -1;
	*p = cbor_bytestring_handle(v);
	*len = cbor_bytestring_length(v);
	return 0;
}

/* The labels we read, each at most once; other labels are ignored. */
static int
cose_read(cbor_item_t *map, struct cose *k)
{
	struct cbor_pair *pairs = cbor_map_handle(map);
	size_t i, n = cbor_map_size(map);

	memset(k, 0, sizeof(*k));
	for (i = 0; i < n; i++) {
		int64_t label;
		int bit, r = 0;

		if (cbor_int64(pairs[i].key, &label) == -1)
			continue; /* text labels: none we use */
		switch (label) {
		case COSE_KTY:
			bit = 1;
			r = cbor_int64(pairs[i].value, &k->kty);
			break;
		case COSE_ALG:
			bit = 2;
			r = cbor_int64(pairs[i].value, &k->alg);
			break;
		case COSE_CRV:
			bit = 4;
			r = cbor_int64(pairs[i].value, &k->crv);
			break;
		case COSE_X:
			bit = 8;
			r = cose_bytes(pairs[i].value, &k->x, &k->xlen);
			break;
		case COSE_Y:
			bit = 16;
			r = cose_bytes(pairs[i].value, &k->y, &k->ylen);
			break;
		default:
			continue;
		}
		if (r == -1 || (k->have & bit))
			return -1;
		k->have |= bit;
	}
	return 0;
}

static EVP_PKEY *
p256_key(const struct cose *k)
{
	unsigned char pt[65];
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL, *check = NULL;
	EVP_PKEY *pkey = NULL;

	pt[0] = 0x04; /* uncompressed */
	memcpy(pt + 1, k->x, 32);
	memcpy(pt + 33, k->y, 32);
	if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_utf8_string(
	        bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(
	        bld, OSSL_PKEY_PARAM_PUB_KEY, pt, sizeof(pt)) ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1)
		goto fail;
	/* A point on the curve, not the identity. */
	if ((check = EVP_PKEY_CTX_new(pkey, NULL)) == NULL ||
	    EVP_PKEY_public_check(check) != 1)
		goto fail;
	goto out;
fail:
	EVP_PKEY_free(pkey);
	pkey = NULL;
out:
	EVP_PKEY_CTX_free(check);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return pkey;
}

enum webauthn_err
webauthn_key_from_cose(
    const unsigned char *cose, size_t len, int64_t *alg, char **spki_b64)
{
	struct cbor_load_result res;
	cbor_item_t *map;
	struct cose k;
	EVP_PKEY *pkey = NULL;
	unsigned char *der = NULL;
	enum webauthn_err e = WA_MALFORMED;
	int derlen;

	*spki_b64 = NULL;
	if (!webauthn_cbor_sane(cose, len))
		return WA_MALFORMED;
	map = cbor_load(cose, len, &res);
	if (map == NULL)
		return WA_MALFORMED;
	if (res.error.code != CBOR_ERR_NONE || res.read != len ||
	    !cbor_isa_map(map) || cose_read(map, &k) == -1 ||
	    (k.have & 7) != 7 || !(k.have & 8))
		goto out;
	if (k.kty == COSE_KTY_EC2 && k.alg == WEBAUTHN_ALG_ES256 &&
	    k.crv == COSE_CRV_P256) {
		if (!(k.have & 16) || k.xlen != 32 || k.ylen != 32)
			goto out;
		pkey = p256_key(&k);
	} else if (k.kty == COSE_KTY_OKP && k.alg == WEBAUTHN_ALG_EDDSA &&
	    k.crv == COSE_CRV_ED25519) {
		if ((k.have & 16) || k.xlen != 32)
			goto out;
		pkey = EVP_PKEY_new_raw_public_key(
		    EVP_PKEY_ED25519, NULL, k.x, k.xlen);
	} else {
		e = WA_ALGORITHM;
		goto out;
	}
	if (pkey == NULL)
		goto out; /* not a point on the curve */
	if ((derlen = i2d_PUBKEY(pkey, &der)) <= 0) {
		e = WA_ERROR;
		goto out;
	}
	*spki_b64 = xmalloc(b64u_len((size_t)derlen) + 1);
	b64u_encode(
	    *spki_b64, b64u_len((size_t)derlen) + 1, der, (size_t)derlen);
	*alg = k.alg;
	e = WA_OK;
out:
	OPENSSL_free(der);
	EVP_PKEY_free(pkey);
	cbor_decref(&map);
	ERR_clear_error();
	return e;
}

enum webauthn_err
webauthn_key_verify(const char *spki_b64, int64_t alg,
    const unsigned char *data, size_t len, const unsigned char *sig,
    size_t sig_len)
{
	unsigned char der[256];
	const unsigned char *p = der;
	EVP_PKEY *pkey = NULL;
	EVP_MD_CTX *md = NULL;
	enum webauthn_err e = WA_MALFORMED;
	long n;
	int want;

	n = b64u_decode(der, sizeof(der), spki_b64, strlen(spki_b64));
	if (n <= 0 || (pkey = d2i_PUBKEY(NULL, &p, n)) == NULL)
		goto out;
	want = alg == WEBAUTHN_ALG_ES256 ? EVP_PKEY_EC :
	    alg == WEBAUTHN_ALG_EDDSA    ? EVP_PKEY_ED25519 :
	                                   EVP_PKEY_NONE;
	if (want == EVP_PKEY_NONE || EVP_PKEY_get_base_id(pkey) != want) {
		e = WA_ALGORITHM;
		goto out;
	}
	if ((md = EVP_MD_CTX_new()) == NULL) {
		e = WA_ERROR;
		goto out;
	}
	/* Ed25519 hashes inside the signature: no digest here. */
	if (EVP_DigestVerifyInit(md, NULL,
	        alg == WEBAUTHN_ALG_ES256 ? EVP_sha256() : NULL, NULL,
	        pkey) != 1) {
		e = WA_ERROR;
		goto out;
	}
	e = EVP_DigestVerify(md, sig, sig_len, data, len) == 1 ? WA_OK :
	                                                         WA_SIGNATURE;
out:
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(pkey);
	ERR_clear_error();
	return e;
}
