/* libFuzzer: numbers and addresses as the config and tus headers parse them. */
#include "util/common.h"

#include "util/config.h"
#include "util/num.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char in[128], host[64];
	uint64_t v;
	uint16_t port;

	if (size >= sizeof(in))
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	if (num_parse_u64(in, 0, UINT64_MAX, &v) == 0) {
		char back[32];

		snprintf(back, sizeof(back), "%" PRIu64, v);
		if (strcmp(back, in) != 0)
			abort(); /* only canonical decimals pass */
	}
	(void)config_parse_addr(in, host, sizeof(host), &port);
	return 0;
}
