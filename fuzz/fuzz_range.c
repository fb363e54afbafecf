/* libFuzzer: the HTTP Range header (http/range.c). */
#include "util/common.h"

#include "http/range.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t sizes[] = { 0, 1, 1000, UINT64_MAX }, off, len, n;
	char in[256];
	size_t i;

	if (size < 1 || size >= sizeof(in))
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	for (i = 0; i < ST_ARRAY_LEN(sizes); i++) {
		n = sizes[i];
		if (http_range_parse(in, n, &off, &len) != RANGE_OK)
			continue;
		/* A range served is never empty and never past the end. */
		if (len == 0 || off >= n || len > n - off)
			abort();
	}
	return 0;
}
