/* RFC 6238 codes; see totp.h. */
#include "util/common.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include "domain/totp.h"

int64_t
totp_step(int64_t t)
{
	return t >= 0 ? t / TOTP_PERIOD : -1;
}

void
totp_code(const unsigned char *secret, size_t len, int64_t step,
    char out[TOTP_DIGITS + 1])
{
	unsigned char msg[8], mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0, off;
	uint32_t bin;
	uint64_t s = (uint64_t)step;
	int i;

	for (i = 7; i >= 0; i--) {
		msg[i] = (unsigned char)(s & 0xff);
		s >>= 8;
	}
	if (HMAC(EVP_sha1(), secret, (int)len, msg, sizeof(msg), mac,
	        &maclen) == NULL ||
	    maclen < 20) {
		/* Never a usable code: a digit string cannot equal it. */
		snprintf(out, TOTP_DIGITS + 1, "xxxxxx");
		return;
	}
	/* RFC 4226 5.3: dynamic truncation. */
	off = mac[maclen - 1] & 0x0f;
	bin = ((uint32_t)(mac[off] & 0x7f) << 24) |
	    ((uint32_t)mac[off + 1] << 16) | ((uint32_t)mac[off + 2] << 8) |
	    (uint32_t)mac[off + 3];
	snprintf(out, TOTP_DIGITS + 1, "%06u", (unsigned)(bin % 1000000u));
	OPENSSL_cleanse(mac, sizeof(mac));
}

int
totp_check(const unsigned char *secret, size_t len, const char *code,
    int64_t now, int64_t *step)
{
	char want[TOTP_DIGITS + 1];
	int64_t base = totp_step(now), d;
	int found = 0;
	size_t i;

	if (code == NULL || strlen(code) != TOTP_DIGITS || base < 1)
		return 0;
	for (i = 0; i < TOTP_DIGITS; i++)
		if (code[i] < '0' || code[i] > '9')
			return 0;
	/* All three are computed and compared, whichever matches. */
	for (d = 1; d >= -1; d--) {
		int eq;

		totp_code(secret, len, base + d, want);
		eq = sodium_memcmp(want, code, TOTP_DIGITS) == 0;
		if (eq && !found) {
			found = 1;
			*step = base + d;
		}
	}
	sodium_memzero(want, sizeof(want));
	return found;
}

void
totp_base32(char *out, size_t outlen, const unsigned char *in, size_t len)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	size_t i, o = 0;
	unsigned buf = 0, bits = 0;

	for (i = 0; i < len; i++) {
		buf = (buf << 8) | in[i];
		bits += 8;
		while (bits >= 5 && o + 1 < outlen) {
			out[o++] = abc[(buf >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0 && o + 1 < outlen)
		out[o++] = abc[(buf << (5 - bits)) & 31];
	if (outlen > 0)
		out[o] = '\0';
}
