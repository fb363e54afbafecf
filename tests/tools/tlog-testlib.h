/*
 * The test oracle for the Merkle tree: MTH(D[lo:hi)) straight from
 * RFC 6962's recursive definition, over leaf hashes the caller made. Kept
 * apart from src/tlog/merkle.c's iterative code on purpose; shared by the
 * unit tests (test_tlog.c) and the vector generator (tools/tlog-vectors.c).
 */
#ifndef ST_TLOG_TESTLIB_H
#define ST_TLOG_TESTLIB_H

#include <stddef.h>
#include <string.h>

#include "tlog/merkle.h"

static inline void
tlog_ref_mth(
    unsigned char out[32], unsigned char (*leaves)[32], size_t lo, size_t hi)
{
	unsigned char l[32], r[32];
	size_t k = 1;

	if (hi == lo) {
		tlog_empty_root(out);
		return;
	}
	if (hi - lo == 1) {
		memcpy(out, leaves[lo], 32);
		return;
	}
	while (k < hi - lo - k)
		k <<= 1;
	tlog_ref_mth(l, leaves, lo, lo + k);
	tlog_ref_mth(r, leaves, lo + k, hi);
	tlog_node_hash(out, l, r);
}

#endif
