/* libFuzzer: the S3 store's reading of XML answers (element text, entities). */
#include "util/common.h"

#include "store/s3_xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const tags[] = { "Key", "UploadId", "ETag",
		"LastModified", "Code", "NextContinuationToken" };
	const char *doc = (const char *)data, *end = doc + size, *p;
	char out[64];
	size_t i;

	for (i = 0; i < ST_ARRAY_LEN(tags); i++) {
		p = doc;
		while (s3_xml_next(&p, end, tags[i], out, sizeof(out)) == 0) {
			const char *c;

			if (p < doc || p > end || strlen(out) >= sizeof(out))
				abort();
			for (c = out; *c != '\0'; c++)
				if ((unsigned char)*c < 0x20)
					abort(); /* control bytes are refused */
		}
	}
	return 0;
}
