/* libFuzzer: STF1 header parsing and verification, and the size inverse. */
#include "util/common.h"

#include "envelope/stf1.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char k[32] = { 0x5a };
	struct stf1_file f;
	uint64_t v = 0, c, p;
	size_t i;

	(void)stf1_header_verify(data, size, k, &f);
	if (stf1_header_parse(data, size, &f) == STF1_OK &&
	    (f.record_size_log2 < STF1_LOG2_MIN ||
	        f.record_size_log2 > STF1_LOG2_MAX))
		abort();
	/* The size formula and its inverse agree on any 8 bytes. */
	for (i = 0; i < 8 && i < size; i++)
		v = v << 8 | data[i];
	if (stf1_plaintext_size(v, 20, &p) == STF1_OK &&
	    (stf1_ciphertext_size(p, 20, &c) != STF1_OK || c != v))
		abort();
	if (stf1_ciphertext_size(v, 16, &c) == STF1_OK &&
	    (stf1_plaintext_size(c, 16, &p) != STF1_OK || p != v))
		abort();
	return 0;
}
