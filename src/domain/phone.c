/* Mobile number normalisation; see phone.h. */
#include "util/common.h"

#include "domain/phone.h"

static int
prefix_allowed(const char *e164, const char *allowed)
{
	const char *p = allowed;

	while (*p != '\0') {
		size_t n;

		while (*p == ' ' || *p == ',')
			p++;
		n = strcspn(p, ", ");
		if (n > 1 && strncmp(e164, p, n) == 0)
			return 1;
		p += n;
	}
	return 0;
}

int
phone_normalise(const char *in, const char *allowed, char *out, size_t outlen,
    const char **why)
{
	char digits[32];
	size_t nd = 0, i;
	int plus = 0;

	if (strlen(in) > 40) {
		*why = "too long";
		return -1;
	}
	for (i = 0; in[i] != '\0'; i++) {
		char c = in[i];

		if (c >= '0' && c <= '9') {
			if (nd == sizeof(digits) - 1) {
				*why = "too many digits";
				return -1;
			}
			digits[nd++] = c;
		} else if (c == '+' && nd == 0 && !plus)
			plus = 1;
		else if (c != ' ' && c != '-' && c != '.' && c != '(' &&
		    c != ')') {
			*why = "only digits, spaces and dashes";
			return -1;
		}
	}
	digits[nd] = '\0';
	if (outlen < PHONE_MAX + 1) {
		*why = "buffer";
		return -1;
	}
	if (!plus && digits[0] == '0' && digits[1] == '0')
		snprintf(out, outlen, "+%s", digits + 2);
	else if (!plus && digits[0] == '0')
		snprintf(out, outlen, "+31%s", digits + 1);
	else if (plus)
		snprintf(out, outlen, "+%s", digits);
	else {
		*why = "start with 06 or a country code like +31";
		return -1;
	}
	nd = strlen(out) - 1;
	if (nd < 8 || nd > 15 || out[1] == '0') {
		*why = "not a valid international number";
		return -1;
	}
	if (strncmp(out, "+31", 3) == 0 &&
	    (out[3] != '6' || strlen(out) != 12)) {
		*why = "a Dutch mobile number starts with 06 and has 10 digits";
		return -1;
	}
	if (!prefix_allowed(out, allowed)) {
		*why = "numbers of this country are not allowed";
		return -1;
	}
	return 0;
}
