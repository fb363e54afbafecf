/* libFuzzer: the tus Upload-Metadata header (api/tus_metadata.c). */
#include "util/common.h"

#include "api/tus_metadata.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char in[TUS_METADATA_MAX + 2], id[RAND_ID_LEN + 1];

	if (size > TUS_METADATA_MAX + 1)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	if (tus_metadata_file_id(in, id) == 0 && strlen(id) != RAND_ID_LEN)
		abort();
	return 0;
}
