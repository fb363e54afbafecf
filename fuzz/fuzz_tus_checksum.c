/* libFuzzer: the tus Upload-Checksum header (api/tus_metadata.c). */
#include "util/common.h"

#include "api/tus_metadata.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char out[TUS_CHECKSUM_LEN];
	char in[256];

	if (size >= sizeof(in))
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	if (tus_checksum_parse(in, out) == TUS_CHECKSUM_OK &&
	    (strncmp(in, "sha256 ", 7) != 0 || strlen(in) != 51))
		abort();
	return 0;
}
