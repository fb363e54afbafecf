/* E-mail address validation; see email.h. */
#include "util/common.h"

#include <ctype.h>

#include "domain/email.h"
#include "domain/orgs.h"

static int
atext(unsigned char c)
{
	return isalnum(c) || strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL;
}

int
email_normalise(const char *in, char *out, size_t outlen, const char **domain,
    const char **why)
{
	size_t len = strnlen(in, EMAIL_MAX + 1), at, i;
	const char *sign = strchr(in, '@');

	if (len == 0 || len > EMAIL_MAX || len >= outlen) {
		*why = "an address has 3 to 254 characters";
		return -1;
	}
	if (sign == NULL || strchr(sign + 1, '@') != NULL) {
		*why = "an address has exactly one @";
		return -1;
	}
	at = (size_t)(sign - in);
	if (at == 0 || at > 64) {
		*why = "the part before @ has 1 to 64 characters";
		return -1;
	}
	for (i = 0; i < at; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c == '.') {
			if (i == 0 || i == at - 1 || in[i - 1] == '.') {
				*why = "misplaced dot before @";
				return -1;
			}
		} else if (!atext(c)) {
			*why = "unexpected character before @";
			return -1;
		}
		out[i] = (char)tolower(c);
	}
	out[at] = '@';
	if (orgs_normalise(in + at + 1, out + at + 1, outlen - at - 1, why) ==
	    -1)
		return -1;
	*domain = out + at + 1;
	return 0;
}
