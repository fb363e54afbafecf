/*
 * libFuzzer: RFC 9162 proof verification on arbitrary sizes, indexes and
 * hashes (src/tlog/merkle.c): never a crash, and what verifies is in
 * range. Input: 8 bytes a, 8 bytes b, then 32-byte hashes (the first two
 * are the roots or the leaf hash and root, the rest the proof).
 */
#include "util/common.h"

#include "tlog/merkle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t
u64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tlog_range r[TLOG_MAX_PROOF];
	struct tlog_node nd[TLOG_MAX_NODES];
	uint64_t a, b;
	size_t n;
	int k;

	if (size < 16 + 64)
		return 0;
	/* Sizes near the limit, and small ones, both matter. */
	a = u64(data) % (TLOG_MAX_SIZE + 2);
	b = u64(data + 8) % (TLOG_MAX_SIZE + 2);
	if (data[0] & 1) {
		a %= 4096;
		b %= 4096;
	}
	n = (size - 16 - 64) / 32;
	if (tlog_verify_inclusion(data + 16, a, b, data + 80, n, data + 48) ==
	        0 &&
	    (a >= b || b > TLOG_MAX_SIZE))
		abort();
	if (tlog_verify_consistency(a, b, data + 16, data + 48, data + 80, n) ==
	        0 &&
	    (a > b || b > TLOG_MAX_SIZE))
		abort();
	k = tlog_inclusion_ranges(a, b, r);
	if (k > TLOG_MAX_PROOF || (k >= 0 && a >= b))
		abort();
	k = tlog_consistency_ranges(a, b, r);
	if (k > TLOG_MAX_PROOF || (k >= 0 && a > b))
		abort();
	for (; k > 0; k--)
		if (tlog_range_nodes(r[k - 1], nd) < 1)
			abort();
	return 0;
}
