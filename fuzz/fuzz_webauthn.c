/*
 * libFuzzer: what the browser sends in a WebAuthn ceremony
 * (domain/webauthn.c): the client data JSON, the attestation object and
 * the COSE key in it (CBOR, libcbor), the authenticator data and the
 * signature. The first byte chooses a registration or an assertion; then
 * two-byte big-endian lengths split the rest into its parts. Nothing may
 * crash, leak or read out of bounds; a registration it accepts must name
 * an ES256 or EdDSA key.
 */
#include "util/common.h"

#include "domain/webauthn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The P-256 key (SubjectPublicKeyInfo) of the seed assertion. */
static const char spki[] =
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEGE9VEfVJDyw8psxX-OCa4L02vsyLDnR4"
    "dZi9LZlczfgpK_G-mUYGwnhFllfSaxTPTG5yvaySyexaogFHCyEdTw";
static const char challenge[] = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

static int
take(const uint8_t **p, size_t *left, const uint8_t **part, size_t *len)
{
	if (*left < 2)
		return -1;
	*len = (size_t)(*p)[0] << 8 | (*p)[1];
	*p += 2;
	*left -= 2;
	if (*len > *left)
		return -1;
	*part = *p;
	*p += *len;
	*left -= *len;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct webauthn_rp rp;
	struct webauthn_credential cred;
	const uint8_t *p = data, *cd, *ad;
	size_t left = size, cdl, adl;
	uint32_t count;
	uint8_t flags;

	if (size < 1 || webauthn_rp_from_url("http://localhost:8080", &rp) != 0)
		return 0;
	p++;
	left--;
	if (take(&p, &left, &cd, &cdl) == -1)
		return 0;
	if ((data[0] & 1) == 0) {
		if (webauthn_register(
		        &rp, challenge, cd, cdl, p, left, &cred) == WA_OK) {
			if (cred.alg != WEBAUTHN_ALG_ES256 &&
			    cred.alg != WEBAUTHN_ALG_EDDSA)
				abort();
			webauthn_credential_release(&cred);
		}
		return 0;
	}
	if (take(&p, &left, &ad, &adl) == -1)
		return 0;
	(void)webauthn_assert(&rp, challenge, cd, cdl, ad, adl, p, left, spki,
	    WEBAUTHN_ALG_ES256, &count, &flags);
	return 0;
}
