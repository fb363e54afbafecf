/*
 * The relying party's checks of WebAuthn ceremonies; see webauthn.h. The
 * COSE keys and signatures are in webauthn_key.c.
 */
#include "util/common.h"

#include <cbor.h>
#include <ctype.h>
#include <jansson.h>
#include <openssl/sha.h>
#include <sodium.h>

#include "domain/webauthn.h"
#include "domain/webauthn_key.h"

#define AUTH_DATA_MIN 37 /* rpIdHash 32, flags 1, counter 4 */

const char *
webauthn_strerror(enum webauthn_err err)
{
	static const char *const text[] = {
		[WA_OK] = "ok",
		[WA_MALFORMED] = "the authenticator's answer is malformed",
		[WA_TYPE] = "the answer is for another kind of request",
		[WA_CHALLENGE] = "the answer is not for this challenge",
		[WA_ORIGIN] = "the answer comes from another origin",
		[WA_RP] = "the answer is for another service",
		[WA_FLAGS] = "the user was not present",
		[WA_ATTESTATION] =
		    "only the attestation format none is accepted",
		[WA_ALGORITHM] = "only ES256 and EdDSA keys are accepted",
		[WA_SIGNATURE] = "the signature does not verify",
		[WA_ERROR] = "internal error",
	};

	return (unsigned)err < ST_ARRAY_LEN(text) ? text[err] : "error";
}

static int
is_ip_literal(const char *host)
{
	size_t i;

	if (strchr(host, ':') != NULL || host[0] == '[')
		return 1;
	for (i = 0; host[i] != '\0'; i++)
		if (!isdigit((unsigned char)host[i]) && host[i] != '.')
			return 0;
	return 1;
}

int
webauthn_rp_from_url(const char *url, struct webauthn_rp *rp)
{
	const char *host, *end;
	size_t schemelen, hostlen, n, i;
	char port[8] = "";

	memset(rp, 0, sizeof(*rp));
	if (strncmp(url, "https://", 8) == 0)
		schemelen = 8;
	else if (strncmp(url, "http://", 7) == 0)
		schemelen = 7;
	else
		return -1;
	host = url + schemelen;
	n = strcspn(host, "/?#");
	if (n == 0)
		return -1;
	if (host[0] == '[') {
		end = memchr(host, ']', n);
		if (end == NULL)
			return -1;
		hostlen = (size_t)(end - host) + 1;
	} else
		hostlen = strcspn(host, ":/?#");
	if (hostlen == 0 || hostlen >= sizeof(rp->id))
		return -1;
	if (hostlen < n) {
		if (host[hostlen] != ':' || n - hostlen - 1 >= sizeof(port))
			return -1;
		snprintf(port, sizeof(port), "%.*s", (int)(n - hostlen - 1),
		    host + hostlen + 1);
	}
	for (i = 0; i < hostlen; i++)
		rp->id[i] = (char)tolower((unsigned char)host[i]);
	rp->id[hostlen] = '\0';
	/* The origin a browser sends: no default port. */
	if ((schemelen == 8 && strcmp(port, "443") == 0) ||
	    (schemelen == 7 && strcmp(port, "80") == 0))
		port[0] = '\0';
	if (snprintf(rp->origin, sizeof(rp->origin), "%.*s%s%s%s",
	        (int)schemelen, url, rp->id, port[0] ? ":" : "",
	        port) >= (int)sizeof(rp->origin))
		return -1;
	for (i = 0; i < schemelen; i++)
		rp->origin[i] = (char)tolower((unsigned char)rp->origin[i]);
	rp->available = !is_ip_literal(rp->id);
	return 0;
}

/* Section 7.1 steps 7-12 / 7.2 steps 11-15: the client data JSON. */
static enum webauthn_err
check_client_data(const struct webauthn_rp *rp, const char *type,
    const char *challenge, const unsigned char *cd, size_t len)
{
	json_error_t jerr;
	json_t *doc, *co;
	const char *t, *ch, *origin;
	enum webauthn_err e = WA_MALFORMED;
	size_t chlen;

	doc = json_loadb((const char *)cd, len, JSON_REJECT_DUPLICATES, &jerr);
	if (doc == NULL || !json_is_object(doc))
		goto out;
	t = json_string_value(json_object_get(doc, "type"));
	ch = json_string_value(json_object_get(doc, "challenge"));
	origin = json_string_value(json_object_get(doc, "origin"));
	co = json_object_get(doc, "crossOrigin");
	if (t == NULL || ch == NULL || origin == NULL ||
	    (co != NULL && !json_is_boolean(co)))
		goto out;
	if (strcmp(t, type) != 0) {
		e = WA_TYPE;
		goto out;
	}
	chlen = strlen(ch);
	if (chlen != strlen(challenge) ||
	    sodium_memcmp(ch, challenge, chlen) != 0) {
		e = WA_CHALLENGE;
		goto out;
	}
	if (strcmp(origin, rp->origin) != 0 || json_is_true(co)) {
		e = WA_ORIGIN;
		goto out;
	}
	e = WA_OK;
out:
	json_decref(doc);
	return e;
}

struct sane_ctx {
	size_t left; /* bytes after the current head */
	int bad;
};

static void
sane_collection(void *arg, size_t n, size_t per)
{
	struct sane_ctx *s = arg;

	if (n > s->left / per)
		s->bad = 1;
}

static void
sane_array(void *arg, size_t n)
{
	sane_collection(arg, n, 1);
}

static void
sane_map(void *arg, size_t n)
{
	sane_collection(arg, n, 2);
}

static void
sane_refuse(void *arg)
{
	((struct sane_ctx *)arg)->bad = 1;
}

static void
sane_refuse_tag(void *arg, uint64_t tag)
{
	ST_UNUSED(tag);
	sane_refuse(arg);
}

int
webauthn_cbor_sane(const unsigned char *p, size_t len)
{
	struct cbor_callbacks cb = cbor_empty_callbacks;
	struct cbor_decoder_result r;
	struct sane_ctx s = { 0, 0 };
	size_t pos = 0;

	cb.array_start = sane_array;
	cb.map_start = sane_map;
	cb.indef_array_start = sane_refuse;
	cb.indef_map_start = sane_refuse;
	cb.byte_string_start = sane_refuse;
	cb.string_start = sane_refuse;
	cb.tag = sane_refuse_tag;
	while (pos < len) {
		/* One head (a string with its bytes) per call. */
		s.left = len - pos;
		r = cbor_stream_decode(p + pos, len - pos, &cb, &s);
		if (r.status != CBOR_DECODER_FINISHED || r.read == 0 ||
		    r.read > len - pos || s.bad)
			return 0;
		pos += r.read;
	}
	return len > 0;
}

struct auth_data {
	uint8_t flags;
	uint32_t count;
	const unsigned char *cred_id;
	size_t cred_id_len;
	const unsigned char *cose;
	size_t cose_len;
};

/* One whole CBOR item at p: its length, or 0 when malformed. */
static size_t
cbor_item_len(const unsigned char *p, size_t len, int want_map)
{
	struct cbor_load_result res;
	cbor_item_t *item;
	int ok;

	if (len == 0 || !webauthn_cbor_sane(p, len))
		return 0;
	item = cbor_load(p, len, &res);
	if (item == NULL)
		return 0;
	ok = res.error.code == CBOR_ERR_NONE && res.read > 0 &&
	    res.read <= len && (!want_map || cbor_isa_map(item));
	cbor_decref(&item);
	return ok ? res.read : 0;
}

/* Section 6.1: rpIdHash, flags, counter, [credential], [extensions]. */
static enum webauthn_err
parse_auth_data(const struct webauthn_rp *rp, const unsigned char *ad,
    size_t len, int attested, struct auth_data *out)
{
	unsigned char want[SHA256_DIGEST_LENGTH];
	size_t pos = AUTH_DATA_MIN, n;

	memset(out, 0, sizeof(*out));
	if (len < AUTH_DATA_MIN)
		return WA_MALFORMED;
	SHA256((const unsigned char *)rp->id, strlen(rp->id), want);
	if (sodium_memcmp(ad, want, sizeof(want)) != 0)
		return WA_RP;
	out->flags = ad[32];
	out->count = (uint32_t)ad[33] << 24 | (uint32_t)ad[34] << 16 |
	    (uint32_t)ad[35] << 8 | (uint32_t)ad[36];
	if (!(out->flags & WEBAUTHN_UP))
		return WA_FLAGS;
	/* Backed up without being eligible for it is not a state. */
	if ((out->flags & WEBAUTHN_BS) && !(out->flags & WEBAUTHN_BE))
		return WA_FLAGS;
	if (!!(out->flags & WEBAUTHN_AT) != attested)
		return WA_MALFORMED;
	if (attested) {
		/* aaguid 16, credentialIdLength 2, credentialId, key. */
		if (len - pos < 18)
			return WA_MALFORMED;
		pos += 16;
		n = (size_t)ad[pos] << 8 | ad[pos + 1];
		pos += 2;
		if (n < 16 || n > WEBAUTHN_ID_MAX || len - pos < n)
			return WA_MALFORMED;
		out->cred_id = ad + pos;
		out->cred_id_len = n;
		pos += n;
		if ((n = cbor_item_len(ad + pos, len - pos, 1)) == 0)
			return WA_MALFORMED;
		out->cose = ad + pos;
		out->cose_len = n;
		pos += n;
	}
	if (out->flags & WEBAUTHN_ED) {
		if ((n = cbor_item_len(ad + pos, len - pos, 1)) == 0)
			return WA_MALFORMED;
		pos += n;
	}
	return pos == len ? WA_OK : WA_MALFORMED;
}

/* A definite text string equal to s. */
static int
cbor_text_is(cbor_item_t *item, const char *s)
{
	size_t n = strlen(s);

	return cbor_isa_string(item) && cbor_string_is_definite(item) &&
	    cbor_string_length(item) == n &&
	    memcmp(cbor_string_handle(item), s, n) == 0;
}

/*
 * Section 6.5: the attestation object {fmt, attStmt, authData}. Copies
 * authData to *ad (heap) on WA_OK.
 */
static enum webauthn_err
parse_attestation(
    const unsigned char *ao, size_t len, unsigned char **ad, size_t *ad_len)
{
	struct cbor_load_result res;
	cbor_item_t *root;
	struct cbor_pair *pairs;
	cbor_item_t *fmt = NULL, *stmt = NULL, *data = NULL;
	enum webauthn_err e = WA_MALFORMED;
	size_t i, n;

	*ad = NULL;
	if (!webauthn_cbor_sane(ao, len))
		return WA_MALFORMED;
	root = cbor_load(ao, len, &res);
	if (root == NULL)
		return WA_MALFORMED;
	if (res.error.code != CBOR_ERR_NONE || res.read != len ||
	    !cbor_isa_map(root) || !cbor_map_is_definite(root))
		goto out;
	n = cbor_map_size(root);
	pairs = cbor_map_handle(root);
	for (i = 0; i < n; i++) {
		cbor_item_t **slot = cbor_text_is(pairs[i].key, "fmt") ? &fmt :
		    cbor_text_is(pairs[i].key, "attStmt")              ? &stmt :
		    cbor_text_is(pairs[i].key, "authData")             ? &data :
		                                                         NULL;

		if (slot == NULL || *slot != NULL)
			goto out; /* unknown or twice */
		*slot = pairs[i].value;
	}
	if (fmt == NULL || stmt == NULL || data == NULL ||
	    !cbor_isa_bytestring(data) || !cbor_bytestring_is_definite(data) ||
	    !cbor_isa_map(stmt))
		goto out;
	/* Section 8.7: "none" has an empty statement. */
	if (!cbor_text_is(fmt, "none") || cbor_map_size(stmt) != 0) {
		e = WA_ATTESTATION;
		goto out;
	}
	*ad_len = cbor_bytestring_length(data);
	*ad = xmalloc(*ad_len + 1);
	memcpy(*ad, cbor_bytestring_handle(data), *ad_len);
	e = WA_OK;
out:
	cbor_decref(&root);
	return e;
}

void
webauthn_credential_release(struct webauthn_credential *c)
{
	free(c->public_key);
	c->public_key = NULL;
}

enum webauthn_err
webauthn_register(const struct webauthn_rp *rp, const char *challenge,
    const unsigned char *client_data, size_t cd_len,
    const unsigned char *att_obj, size_t ao_len,
    struct webauthn_credential *out)
{
	struct auth_data a;
	unsigned char *ad = NULL;
	size_t ad_len = 0;
	enum webauthn_err e;

	memset(out, 0, sizeof(*out));
	if ((e = check_client_data(rp, "webauthn.create", challenge,
	         client_data, cd_len)) != WA_OK)
		return e;
	if ((e = parse_attestation(att_obj, ao_len, &ad, &ad_len)) != WA_OK)
		return e;
	if ((e = parse_auth_data(rp, ad, ad_len, 1, &a)) != WA_OK)
		goto out;
	if ((e = webauthn_key_from_cose(
	         a.cose, a.cose_len, &out->alg, &out->public_key)) != WA_OK)
		goto out;
	memcpy(out->id, a.cred_id, a.cred_id_len);
	out->id_len = a.cred_id_len;
	out->sign_count = a.count;
	out->flags = a.flags;
out:
	free(ad);
	return e;
}

enum webauthn_err
webauthn_assert(const struct webauthn_rp *rp, const char *challenge,
    const unsigned char *client_data, size_t cd_len,
    const unsigned char *auth_data, size_t ad_len, const unsigned char *sig,
    size_t sig_len, const char *public_key, int64_t alg, uint32_t *sign_count,
    uint8_t *flags)
{
	unsigned char hash[SHA256_DIGEST_LENGTH], *signed_data;
	struct auth_data a;
	enum webauthn_err e;

	if ((e = check_client_data(
	         rp, "webauthn.get", challenge, client_data, cd_len)) != WA_OK)
		return e;
	if ((e = parse_auth_data(rp, auth_data, ad_len, 0, &a)) != WA_OK)
		return e;
	/* The signature is over authenticatorData || SHA-256(clientData). */
	SHA256(client_data, cd_len, hash);
	signed_data = xmalloc(ad_len + sizeof(hash));
	memcpy(signed_data, auth_data, ad_len);
	memcpy(signed_data + ad_len, hash, sizeof(hash));
	e = webauthn_key_verify(
	    public_key, alg, signed_data, ad_len + sizeof(hash), sig, sig_len);
	free(signed_data);
	if (e == WA_OK) {
		*sign_count = a.count;
		*flags = a.flags;
	}
	return e;
}
