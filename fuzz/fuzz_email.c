/* libFuzzer: e-mail addresses and domain names (domain/email.c, orgs.c). */
#include "util/common.h"

#include "domain/email.h"
#include "domain/orgs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char in[600], out[EMAIL_MAX + 1], dom[ORGS_DOMAIN_MAX + 1];
	const char *d, *why;

	if (size >= sizeof(in))
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	if (email_normalise(in, out, sizeof(out), &d, &why) == 0) {
		/* A normalised address is a fixed point and has one '@'. */
		char again[EMAIL_MAX + 1];

		if (email_normalise(out, again, sizeof(again), &d, &why) != 0 ||
		    strcmp(out, again) != 0 || strchr(out, '\r') != NULL ||
		    strchr(out, '\n') != NULL)
			abort();
	}
	(void)orgs_normalise(in, dom, sizeof(dom), &why);
	return 0;
}
