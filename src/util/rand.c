/* Random ids and tokens, and base64url; see rand.h. */
#include "util/common.h"

#include <sodium.h>

#include "util/rand.h"

void
rand_bytes(void *buf, size_t len)
{
	randombytes_buf(buf, len);
}

size_t
b64u_len(size_t len)
{
	return sodium_base64_ENCODED_LEN(
	           len, sodium_base64_VARIANT_URLSAFE_NO_PADDING) -
	    1;
}

void
b64u_encode(char *out, size_t outlen, const void *in, size_t len)
{
	sodium_bin2base64(
	    out, outlen, in, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

long
b64u_decode(void *out, size_t outmax, const char *in, size_t len)
{
	size_t got = 0;
	const char *end = NULL;
	char *check;
	size_t clen;
	int same;

	if (sodium_base642bin(out, outmax, in, len, NULL, &got, &end,
	        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    end != in + len)
		return -1;
	/* Refuse non-canonical forms (stray low bits in the last char). */
	clen = b64u_len(got) + 1;
	check = xmalloc(clen);
	b64u_encode(check, clen, out, got);
	same = strlen(check) == len && memcmp(check, in, len) == 0;
	free(check);
	return same ? (long)got : -1;
}

void
rand_id(char out[RAND_ID_LEN + 1])
{
	unsigned char b[RAND_ID_BYTES];

	/* Never a leading '-': a message id is typed as a command-line
	 * argument (securetransfer receive ID), where it would read as an
	 * option. One draw in 64 is taken again (under 0.03 bits lost). */
	do
		rand_bytes(b, sizeof(b));
	while ((b[0] >> 2) == 62);
	b64u_encode(out, RAND_ID_LEN + 1, b, sizeof(b));
}

void
rand_token(char out[RAND_TOKEN_LEN + 1])
{
	unsigned char b[RAND_TOKEN_BYTES];

	rand_bytes(b, sizeof(b));
	b64u_encode(out, RAND_TOKEN_LEN + 1, b, sizeof(b));
	sodium_memzero(b, sizeof(b));
}

int
rand_id_valid(const char *s)
{
	unsigned char b[RAND_ID_BYTES];

	if (s == NULL || strnlen(s, RAND_ID_LEN + 1) != RAND_ID_LEN)
		return 0;
	return b64u_decode(b, sizeof(b), s, RAND_ID_LEN) == RAND_ID_BYTES;
}
