/* Manifest canonical form, signature and sealing; see manifest.h. */
#include "util/common.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "envelope/aead.h"
#include "envelope/ed25519.h"
#include "envelope/kdf.h"
#include "envelope/manifest.h"
#include "util/rand.h"

#define MANIFEST_AAD "securetransfer/v1/manifest"
#define MANIFEST_SIG_LABEL "securetransfer/v1/manifest-sig"
#define MANIFEST_INT_MAX (((json_int_t)1 << 53) - 1)
#define MANIFEST_DEPTH 8

static int
string_ok(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 && c != '\b' && c != '\f' && c != '\n' &&
		    c != '\r' && c != '\t')
			return 0;
	}
	return 1;
}

/* Only what canonical JSON can write identically in C and JS. */
static int
value_ok(const json_t *v, int depth)
{
	const char *key;
	json_t *e;
	size_t i;

	if (depth > MANIFEST_DEPTH)
		return 0;
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		json_object_foreach((json_t *)(uintptr_t)v, key,
		    e) if (!string_ok(key, strlen(key)) ||
		    !value_ok(e, depth + 1)) return 0;
		return 1;
	case JSON_ARRAY:
		json_array_foreach(
		    v, i, e) if (!value_ok(e, depth + 1)) return 0;
		return 1;
	case JSON_STRING:
		return string_ok(json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		return json_integer_value(v) >= 0 &&
		    json_integer_value(v) <= MANIFEST_INT_MAX;
	case JSON_TRUE:
	case JSON_FALSE:
	case JSON_NULL:
		return 1;
	default:
		return 0;
	}
}

enum stf1_err
manifest_canonical(const json_t *m, int without_sig, char **out, size_t *len)
{
	json_t *copy;
	char *s;

	*out = NULL;
	if (!json_is_object(m) || !value_ok(m, 0))
		return STF1_ERR_MANIFEST_INVALID;
	if ((copy = json_copy((json_t *)(uintptr_t)m)) == NULL)
		return STF1_ERR_CRYPTO;
	if (without_sig)
		json_object_del(copy, "sig");
	s = json_dumps(copy, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(copy);
	if (s == NULL)
		return STF1_ERR_MANIFEST_INVALID;
	*len = strlen(s);
	if (*len > MANIFEST_MAX) {
		free(s);
		return STF1_ERR_MANIFEST_INVALID;
	}
	*out = s;
	return STF1_OK;
}

/* label || SHA-256(canonical(m without sig)) into msg[62]. */
static enum stf1_err
sig_message(unsigned char msg[62], const json_t *m)
{
	size_t n = sizeof(MANIFEST_SIG_LABEL) - 1, len;
	unsigned int mdlen;
	enum stf1_err err;
	char *c;

	if ((err = manifest_canonical(m, 1, &c, &len)) != STF1_OK)
		return err;
	memcpy(msg, MANIFEST_SIG_LABEL, n);
	mdlen = 0;
	if (EVP_Digest(c, len, msg + n, &mdlen, EVP_sha256(), NULL) != 1)
		err = STF1_ERR_CRYPTO;
	free(c);
	return err;
}

/* Strict b64u of exactly n bytes from a JSON string. */
static int
b64u_get(unsigned char *out, size_t n, const json_t *v)
{
	if (!json_is_string(v) || json_string_length(v) != b64u_len(n))
		return -1;
	return b64u_decode(out, n, json_string_value(v),
	           json_string_length(v)) == (long)n ?
	    0 :
	    -1;
}

enum stf1_err
manifest_sign(json_t *m, const unsigned char sk[32])
{
	unsigned char msg[62], sig[ED25519_SIG_LEN], pk[32], want[32];
	char text[90];
	enum stf1_err err;

	if (!json_is_object(m) ||
	    b64u_get(want, 32,
	        json_object_get(json_object_get(m, "sender"), "sign_pk")) != 0)
		return STF1_ERR_MANIFEST_INVALID;
	if (ed25519_public(pk, sk) != 0)
		return STF1_ERR_CRYPTO;
	if (memcmp(pk, want, 32) != 0)
		return STF1_ERR_ARGUMENT;
	if ((err = sig_message(msg, m)) != STF1_OK)
		return err;
	if (ed25519_sign(sig, sk, msg, sizeof(msg)) != 0)
		return STF1_ERR_CRYPTO;
	b64u_encode(text, sizeof(text), sig, sizeof(sig));
	if (json_object_set_new(m, "sig", json_string(text)) != 0)
		return STF1_ERR_CRYPTO;
	return STF1_OK;
}

enum stf1_err
manifest_verify(const json_t *m)
{
	unsigned char msg[62], sig[ED25519_SIG_LEN], pk[32];
	enum stf1_err err;

	if (!json_is_object(m) ||
	    b64u_get(pk, 32,
	        json_object_get(json_object_get(m, "sender"), "sign_pk")) !=
	        0 ||
	    b64u_get(sig, sizeof(sig), json_object_get(m, "sig")) != 0)
		return STF1_ERR_MANIFEST_INVALID;
	if ((err = sig_message(msg, m)) != STF1_OK)
		return err;
	if (ed25519_verify(sig, pk, msg, sizeof(msg)) != 0)
		return STF1_ERR_SIGNATURE;
	return STF1_OK;
}

static void
seal_aad(unsigned char aad[sizeof(MANIFEST_AAD) - 1 + 16],
    const unsigned char msg_id[16])
{
	memcpy(aad, MANIFEST_AAD, sizeof(MANIFEST_AAD) - 1);
	memcpy(aad + sizeof(MANIFEST_AAD) - 1, msg_id, 16);
}

enum stf1_err
manifest_seal(unsigned char **out, size_t *outlen, const json_t *m,
    const unsigned char k[32], const unsigned char msg_id[16],
    const unsigned char *nonce)
{
	unsigned char mk[32], aad[sizeof(MANIFEST_AAD) - 1 + 16], *buf;
	enum stf1_err err;
	size_t len;
	char *c;

	if ((err = manifest_check(m, msg_id, 1)) != STF1_OK ||
	    (err = manifest_canonical(m, 0, &c, &len)) != STF1_OK)
		return err;
	buf = xmalloc(MANIFEST_NONCE_LEN + len + AEAD_TAG_LEN);
	if (nonce != NULL)
		memcpy(buf, nonce, MANIFEST_NONCE_LEN);
	else
		rand_bytes(buf, MANIFEST_NONCE_LEN);
	seal_aad(aad, msg_id);
	err = STF1_ERR_CRYPTO;
	if (kdf_manifest_key(mk, k, msg_id) == 0 &&
	    aead_seal(buf + MANIFEST_NONCE_LEN, mk, buf, aad, sizeof(aad),
	        (const unsigned char *)c, len) == 0)
		err = STF1_OK;
	OPENSSL_cleanse(mk, sizeof(mk));
	free_secret(c, len);
	if (err != STF1_OK) {
		free(buf);
		return err;
	}
	*out = buf;
	*outlen = MANIFEST_NONCE_LEN + len + AEAD_TAG_LEN;
	return STF1_OK;
}

/* Decrypts into a NUL-terminated *text of *len bytes. */
static enum stf1_err
open_text(char **text, size_t *len, const unsigned char *sealed, size_t n,
    const unsigned char k[32], const unsigned char msg_id[16])
{
	unsigned char mk[32], aad[sizeof(MANIFEST_AAD) - 1 + 16];
	size_t body;
	char *buf;
	int rc;

	if (n < MANIFEST_NONCE_LEN + AEAD_TAG_LEN ||
	    n - MANIFEST_NONCE_LEN - AEAD_TAG_LEN > MANIFEST_MAX)
		return STF1_ERR_MANIFEST_AUTH;
	body = n - MANIFEST_NONCE_LEN - AEAD_TAG_LEN;
	buf = xmalloc(body + 1);
	seal_aad(aad, msg_id);
	if (kdf_manifest_key(mk, k, msg_id) != 0) {
		free(buf);
		return STF1_ERR_CRYPTO;
	}
	rc = aead_open((unsigned char *)buf, mk, sealed, aad, sizeof(aad),
	    sealed + MANIFEST_NONCE_LEN, n - MANIFEST_NONCE_LEN);
	OPENSSL_cleanse(mk, sizeof(mk));
	if (rc != 0) {
		free(buf);
		return STF1_ERR_MANIFEST_AUTH;
	}
	buf[body] = '\0';
	*text = buf;
	*len = body;
	return STF1_OK;
}

enum stf1_err
manifest_open(json_t **m, const unsigned char *sealed, size_t len,
    const unsigned char k[32], const unsigned char msg_id[16])
{
	json_error_t jerr;
	json_t *doc = NULL;
	enum stf1_err err;
	char *text, *canon = NULL;
	size_t tlen, clen;

	if ((err = open_text(&text, &tlen, sealed, len, k, msg_id)) != STF1_OK)
		return err;
	err = STF1_ERR_MANIFEST_INVALID;
	doc = json_loadb(text, tlen, JSON_REJECT_DUPLICATES, &jerr);
	if (doc == NULL || manifest_check(doc, msg_id, 1) != STF1_OK ||
	    manifest_canonical(doc, 0, &canon, &clen) != STF1_OK ||
	    clen != tlen || memcmp(canon, text, tlen) != 0)
		goto out;
	err = manifest_verify(doc);
out:
	free_secret(text, tlen + 1);
	if (canon != NULL)
		free_secret(canon, clen);
	if (err == STF1_OK)
		*m = doc;
	else
		json_decref(doc);
	return err;
}

/* True if obj has exactly the n keys listed. */
static int
keys_exactly(const json_t *obj, const char *const *keys, size_t n)
{
	size_t i;

	if (!json_is_object(obj) || json_object_size(obj) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (json_object_get(obj, keys[i]) == NULL)
			return 0;
	return 1;
}

static int
is_str(const json_t *obj, const char *key)
{
	return json_is_string(json_object_get(obj, key));
}

/* YYYY-MM-DDTHH:MM:SSZ with plausible fields. */
static int
time_ok(const json_t *v)
{
	static const char pat[] = "dddd-dd-ddTdd:dd:ddZ";
	const char *s;
	size_t i;

	if (!json_is_string(v) || json_string_length(v) != sizeof(pat) - 1)
		return 0;
	s = json_string_value(v);
	for (i = 0; i < sizeof(pat) - 1; i++)
		if (pat[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != pat[i])
			return 0;
	return (s[5] - '0') * 10 + (s[6] - '0') >= 1 &&
	    (s[5] - '0') * 10 + (s[6] - '0') <= 12 &&
	    (s[8] - '0') * 10 + (s[9] - '0') >= 1 &&
	    (s[8] - '0') * 10 + (s[9] - '0') <= 31 &&
	    (s[11] - '0') * 10 + (s[12] - '0') <= 23 &&
	    (s[14] - '0') * 10 + (s[15] - '0') <= 59 &&
	    (s[17] - '0') * 10 + (s[18] - '0') <= 59;
}

static int
bytes_ok(const json_t *v, size_t n)
{
	unsigned char buf[64];

	return n <= sizeof(buf) && b64u_get(buf, n, v) == 0;
}

static int
sender_ok(const json_t *s)
{
	static const char *const keys[] = { "kind", "user_id", "address",
		"sign_pk" };
	const char *kind;

	if (!keys_exactly(s, keys, ST_ARRAY_LEN(keys)) || !is_str(s, "kind") ||
	    !is_str(s, "address") ||
	    !bytes_ok(json_object_get(s, "sign_pk"), 32))
		return 0;
	kind = json_string_value(json_object_get(s, "kind"));
	if (strcmp(kind, "account") == 0)
		return bytes_ok(json_object_get(s, "user_id"), 16);
	return strcmp(kind, "external") == 0 && is_str(s, "user_id") &&
	    json_string_length(json_object_get(s, "user_id")) == 0;
}

static int
recipient_ok(const json_t *r)
{
	static const char *const keys[] = { "address", "key_id" };
	const json_t *id;

	if (!keys_exactly(r, keys, ST_ARRAY_LEN(keys)) || !is_str(r, "address"))
		return 0;
	id = json_object_get(r, "key_id");
	return bytes_ok(id, 16) ||
	    (json_is_string(id) && strcmp(json_string_value(id), "link") == 0);
}

static int
files_ok(const json_t *files)
{
	static const char *const keys[] = { "index", "name", "size", "mime",
		"header_sha256" };
	const json_t *f;
	size_t i;

	if (!json_is_array(files))
		return 0;
	json_array_foreach(files, i, f)
	{
		if (!keys_exactly(f, keys, ST_ARRAY_LEN(keys)) ||
		    !json_is_integer(json_object_get(f, "index")) ||
		    json_integer_value(json_object_get(f, "index")) !=
		        (json_int_t)i ||
		    !is_str(f, "name") || !is_str(f, "mime") ||
		    !json_is_integer(json_object_get(f, "size")) ||
		    !bytes_ok(json_object_get(f, "header_sha256"), 32))
			return 0;
	}
	return 1;
}

enum stf1_err
manifest_check(const json_t *m, const unsigned char msg_id[16], int need_sig)
{
	static const char *const keys[] = { "v", "msg_id", "created_at",
		"sender", "recipient", "subject", "reference", "text", "files",
		"sig" };
	unsigned char id[16];
	size_t n = ST_ARRAY_LEN(keys);
	const json_t *sig;

	if (!json_is_object(m) || !value_ok(m, 0))
		return STF1_ERR_MANIFEST_INVALID;
	sig = json_object_get(m, "sig");
	if (sig == NULL && !need_sig)
		n--;
	if (!keys_exactly(m, keys, n) ||
	    !json_is_integer(json_object_get(m, "v")) ||
	    json_integer_value(json_object_get(m, "v")) != 1 ||
	    b64u_get(id, sizeof(id), json_object_get(m, "msg_id")) != 0 ||
	    memcmp(id, msg_id, sizeof(id)) != 0 ||
	    !time_ok(json_object_get(m, "created_at")) ||
	    !sender_ok(json_object_get(m, "sender")) ||
	    !recipient_ok(json_object_get(m, "recipient")) ||
	    !is_str(m, "subject") || !is_str(m, "reference") ||
	    !is_str(m, "text") || !files_ok(json_object_get(m, "files")) ||
	    (sig != NULL && !bytes_ok(sig, ED25519_SIG_LEN)))
		return STF1_ERR_MANIFEST_INVALID;
	return STF1_OK;
}
