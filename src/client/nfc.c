/* NFC on libunistring; see nfc.h. */
#include "util/common.h"

#include <sodium.h>
#include <uninorm.h>
#include <unistr.h>

#include "client/nfc.h"

int
nfc_valid_utf8(const char *s, size_t len)
{
	return u8_check((const uint8_t *)s, len) == NULL &&
	    memchr(s, '\0', len) == NULL;
}

char *
nfc_dup(const char *s, size_t len, size_t *outlen)
{
	uint8_t *n;
	size_t nlen = 0;
	char *out;

	if (!nfc_valid_utf8(s, len))
		return NULL;
	if (len == 0) {
		if (outlen != NULL)
			*outlen = 0;
		return xstrdup("");
	}
	n = u8_normalize(UNINORM_NFC, (const uint8_t *)s, len, NULL, &nlen);
	if (n == NULL)
		return NULL;
	out = xmemdup0(n, nlen);
	/* libunistring's buffer may have held a password. */
	sodium_memzero(n, nlen);
	free(n);
	if (outlen != NULL)
		*outlen = nlen;
	return out;
}
