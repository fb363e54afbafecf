/* libFuzzer: JSON request bodies as request_json reads them. */
#include "util/common.h"

#include <jansson.h>

#include "http/json_body.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t err;
	json_t *doc;

	if (!json_depth_ok((const char *)data, size, 32))
		return 0;
	doc = json_loadb(
	    (const char *)data, size, JSON_REJECT_DUPLICATES, &err);
	json_decref(doc);
	return 0;
}
