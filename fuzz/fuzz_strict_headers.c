/*
 * libFuzzer: the request-head framing checks (http/strict.c). The input is
 * a head as lines "name:value" (LF-separated; the first byte picks the
 * HTTP/1.x minor version), fed as libmicrohttpd would hand them over.
 */
#include "util/common.h"

#include "http/strict.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strict_state st;
	const char *p, *end, *why;
	unsigned status;
	int minor;

	if (size < 1 || size > 65536)
		return 0;
	minor = data[0] & 1;
	p = (const char *)data + 1;
	end = (const char *)data + size;
	strict_init(&st);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = nl != NULL ? nl : end;
		const char *colon = memchr(p, ':', (size_t)(line_end - p));

		if (colon != NULL)
			strict_header(&st, p, (size_t)(colon - p), colon + 1,
			    (size_t)(line_end - colon - 1));
		p = line_end + 1;
	}
	status = strict_verdict(&st, minor, &why);
	/* A refusal always says why; an acceptance never has a reason. */
	if ((status != 0) != (why != NULL))
		abort();
	if (status != 0 && status != 400 && status != 501)
		abort();
	return 0;
}
