/*
 * The credential public keys of WebAuthn (webauthn.h): a COSE key (RFC
 * 9053) made into a SubjectPublicKeyInfo, and a signature checked with it.
 * OpenSSL does the curve work; libcbor reads the COSE map.
 */
#ifndef ST_WEBAUTHN_KEY_H
#define ST_WEBAUTHN_KEY_H

#include <stddef.h>
#include <stdint.h>

#include "domain/webauthn.h"

/*
 * Reads a COSE_Key of len bytes: EC2 P-256 with alg -7, or OKP Ed25519
 * with alg -8, nothing else. On WA_OK sets *alg and *spki_b64 (heap: the
 * DER SubjectPublicKeyInfo in base64url).
 */
enum webauthn_err webauthn_key_from_cose(
    const unsigned char *cose, size_t len, int64_t *alg, char **spki_b64);

/*
 * Verifies sig over data with the b64u SubjectPublicKeyInfo key of COSE
 * algorithm alg (ES256: a DER ECDSA signature over SHA-256; EdDSA: 64
 * bytes). WA_OK, WA_SIGNATURE, WA_ALGORITHM or WA_MALFORMED.
 */
enum webauthn_err webauthn_key_verify(const char *spki_b64, int64_t alg,
    const unsigned char *data, size_t len, const unsigned char *sig,
    size_t sig_len);

#endif
