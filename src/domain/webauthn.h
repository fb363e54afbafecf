/*
 * WebAuthn (passkeys and security keys) as the relying party checks it
 * (W3C WebAuthn Level 2, sections 7.1 and 7.2): the client data JSON, the
 * authenticator data, the attestation object (CBOR, parsed with libcbor),
 * the credential's COSE public key and the assertion signature (OpenSSL).
 * ES256 (COSE -7, P-256) and EdDSA (COSE -8, Ed25519) keys; the "none"
 * attestation only (the service asks for none: it does not judge the make
 * of an authenticator). Pure functions over bytes: no database, no HTTP.
 * Everything here parses input from the browser; fuzz/fuzz_webauthn.c
 * drives it.
 */
#ifndef ST_WEBAUTHN_H
#define ST_WEBAUTHN_H

#include <stddef.h>
#include <stdint.h>

#define WEBAUTHN_CHALLENGE_LEN 32
#define WEBAUTHN_ID_MAX 1023 /* credential id bytes (spec limit) */
#define WEBAUTHN_ALG_ES256 (-7)
#define WEBAUTHN_ALG_EDDSA (-8)

/* Authenticator data flags. */
#define WEBAUTHN_UP 0x01 /* user present */
#define WEBAUTHN_UV 0x04 /* user verified */
#define WEBAUTHN_BE 0x08 /* backup eligible */
#define WEBAUTHN_BS 0x10 /* backed up */
#define WEBAUTHN_AT 0x40 /* attested credential data included */
#define WEBAUTHN_ED 0x80 /* extensions included */

/* The relying party: the host of server.public_url and its origin. */
struct webauthn_rp {
	char id[256]; /* "portal.example.nl" */
	char origin[300]; /* "https://portal.example.nl" (no default port) */
	int available; /* 0: the host is an IP address, which WebAuthn
	                  does not allow as an RP id */
};

/* Derives rp from a public URL; -1 when it is not http(s)://host... */
int webauthn_rp_from_url(const char *url, struct webauthn_rp *rp);

enum webauthn_err {
	WA_OK,
	WA_MALFORMED, /* not what the spec's structures look like */
	WA_TYPE, /* clientData.type is not this ceremony's */
	WA_CHALLENGE, /* not the challenge this server gave */
	WA_ORIGIN, /* another origin, or a cross-origin frame */
	WA_RP, /* rpIdHash of another relying party */
	WA_FLAGS, /* user not present, or inconsistent flags */
	WA_ATTESTATION, /* a format other than none */
	WA_ALGORITHM, /* a key other than ES256 or EdDSA */
	WA_SIGNATURE, /* the assertion signature does not verify */
	WA_ERROR /* OpenSSL or memory */
};

/* A new credential from a registration. */
struct webauthn_credential {
	unsigned char id[WEBAUTHN_ID_MAX];
	size_t id_len;
	char *public_key; /* SubjectPublicKeyInfo DER, b64u; heap */
	int64_t alg;
	uint32_t sign_count;
	uint8_t flags;
};

void webauthn_credential_release(struct webauthn_credential *c);

/*
 * Checks a registration (navigator.credentials.create): client data of
 * type webauthn.create with challenge (b64u of the challenge bytes this
 * server made) and rp's origin; an attestation object of format none
 * whose authenticator data is for rp's id, has the user present and
 * carries the new credential. Fills out on WA_OK (release it).
 */
enum webauthn_err webauthn_register(const struct webauthn_rp *rp,
    const char *challenge, const unsigned char *client_data, size_t cd_len,
    const unsigned char *att_obj, size_t ao_len,
    struct webauthn_credential *out);

/*
 * Checks an assertion (navigator.credentials.get) by the credential with
 * public key public_key (b64u SubjectPublicKeyInfo) and algorithm alg:
 * client data of type webauthn.get, the challenge, the origin, the rp id
 * hash, the user present flag, and the signature over authenticator data
 * and the client data's SHA-256. Sets *sign_count and *flags on WA_OK;
 * comparing the counter with the stored one is the caller's.
 */
enum webauthn_err webauthn_assert(const struct webauthn_rp *rp,
    const char *challenge, const unsigned char *client_data, size_t cd_len,
    const unsigned char *auth_data, size_t ad_len, const unsigned char *sig,
    size_t sig_len, const char *public_key, int64_t alg, uint32_t *sign_count,
    uint8_t *flags);

/*
 * Whether len bytes are a sequence of CBOR items safe to give libcbor's
 * cbor_load: definite lengths only, no tags, and no array or map that
 * declares more items than there are bytes left (cbor_load allocates the
 * declared size before it reads an item: a five-byte header would ask
 * for gigabytes). 1 safe, 0 not.
 */
int webauthn_cbor_sane(const unsigned char *p, size_t len);

/* A short English reason for err (for logs and the API message). */
const char *webauthn_strerror(enum webauthn_err err);

#endif
