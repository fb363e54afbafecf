/* RFC 6962 / RFC 9162 Merkle trees; see merkle.h. */
#include "util/common.h"

#include <sodium.h>

#include "tlog/merkle.h"

void
tlog_leaf_hash(
    unsigned char out[TLOG_HASH_LEN], const unsigned char *leaf, size_t len)
{
	static const unsigned char zero = 0x00;
	crypto_hash_sha256_state st;

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, &zero, 1);
	crypto_hash_sha256_update(&st, leaf, len);
	crypto_hash_sha256_final(&st, out);
}

void
tlog_node_hash(unsigned char out[TLOG_HASH_LEN],
    const unsigned char left[TLOG_HASH_LEN],
    const unsigned char right[TLOG_HASH_LEN])
{
	unsigned char buf[1 + 2 * TLOG_HASH_LEN];

	buf[0] = 0x01;
	memcpy(buf + 1, left, TLOG_HASH_LEN);
	memcpy(buf + 1 + TLOG_HASH_LEN, right, TLOG_HASH_LEN);
	crypto_hash_sha256(out, buf, sizeof(buf));
}

void
tlog_empty_root(unsigned char out[TLOG_HASH_LEN])
{
	crypto_hash_sha256(out, NULL, 0);
}

static int
same(const unsigned char a[TLOG_HASH_LEN], const unsigned char b[TLOG_HASH_LEN])
{
	return memcmp(a, b, TLOG_HASH_LEN) == 0;
}

/* "Right-shift fn and sn equally until LSB(fn) is set or fn is 0." */
static void
shift_to_set_bit(uint64_t *fn, uint64_t *sn)
{
	while (*fn != 0 && (*fn & 1) == 0) {
		*fn >>= 1;
		*sn >>= 1;
	}
}

int
tlog_verify_inclusion(const unsigned char leaf_hash[TLOG_HASH_LEN],
    uint64_t index, uint64_t size, const unsigned char *proof, size_t n,
    const unsigned char root[TLOG_HASH_LEN])
{
	unsigned char r[TLOG_HASH_LEN];
	uint64_t fn = index, sn;
	size_t i;

	if (size > TLOG_MAX_SIZE || index >= size || n > TLOG_MAX_PROOF)
		return -1;
	sn = size - 1;
	memcpy(r, leaf_hash, TLOG_HASH_LEN);
	for (i = 0; i < n; i++) {
		if (sn == 0)
			return -1;
		if ((fn & 1) != 0 || fn == sn) {
			tlog_node_hash(r, proof + i * TLOG_HASH_LEN, r);
			if ((fn & 1) == 0)
				shift_to_set_bit(&fn, &sn);
		} else
			tlog_node_hash(r, r, proof + i * TLOG_HASH_LEN);
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && same(r, root) ? 0 : -1;
}

int
tlog_verify_consistency(uint64_t size1, uint64_t size2,
    const unsigned char root1[TLOG_HASH_LEN],
    const unsigned char root2[TLOG_HASH_LEN], const unsigned char *proof,
    size_t n)
{
	unsigned char fr[TLOG_HASH_LEN], sr[TLOG_HASH_LEN];
	uint64_t fn, sn;
	size_t i = 0;

	if (size2 > TLOG_MAX_SIZE || size1 > size2 || n > TLOG_MAX_PROOF)
		return -1;
	if (size1 == size2)
		return n == 0 && same(root1, root2) ? 0 : -1;
	if (size1 == 0)
		return n == 0 ? 0 : -1;
	if (n == 0)
		return -1;
	/* A first tree of 2^k leaves is a node of the second: the proof
	 * leaves out its hash, which the verifier knows. */
	if ((size1 & (size1 - 1)) == 0) {
		memcpy(fr, root1, TLOG_HASH_LEN);
	} else {
		memcpy(fr, proof, TLOG_HASH_LEN);
		i = 1;
	}
	memcpy(sr, fr, TLOG_HASH_LEN);
	fn = size1 - 1;
	sn = size2 - 1;
	while ((fn & 1) != 0) {
		fn >>= 1;
		sn >>= 1;
	}
	for (; i < n; i++) {
		if (sn == 0)
			return -1;
		if ((fn & 1) != 0 || fn == sn) {
			tlog_node_hash(fr, proof + i * TLOG_HASH_LEN, fr);
			tlog_node_hash(sr, proof + i * TLOG_HASH_LEN, sr);
			if ((fn & 1) == 0)
				shift_to_set_bit(&fn, &sn);
		} else
			tlog_node_hash(sr, sr, proof + i * TLOG_HASH_LEN);
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && same(fr, root1) && same(sr, root2) ? 0 : -1;
}

/* The largest power of two below n (n >= 2). */
static uint64_t
split_point(uint64_t n)
{
	uint64_t k = 1;

	while (k < n - k)
		k <<= 1;
	return k;
}

int
tlog_inclusion_ranges(
    uint64_t index, uint64_t size, struct tlog_range out[TLOG_MAX_PROOF])
{
	struct tlog_range down[TLOG_MAX_PROOF];
	uint64_t lo = 0, hi = size, k;
	int n = 0, i;

	if (size > TLOG_MAX_SIZE || index >= size)
		return -1;
	/* PATH(m, D[lo:hi)) from the top: each step keeps the half with the
	 * leaf and records the other; the proof lists them bottom-up. */
	while (hi - lo > 1) {
		k = split_point(hi - lo);
		if (index < lo + k) {
			down[n++] = (struct tlog_range){ lo + k, hi };
			hi = lo + k;
		} else {
			down[n++] = (struct tlog_range){ lo, lo + k };
			lo += k;
		}
	}
	for (i = 0; i < n; i++)
		out[i] = down[n - 1 - i];
	return n;
}

int
tlog_consistency_ranges(
    uint64_t size1, uint64_t size2, struct tlog_range out[TLOG_MAX_PROOF])
{
	struct tlog_range down[TLOG_MAX_PROOF];
	uint64_t lo = 0, hi = size2, m = size1, k;
	int n = 0, i, whole = 1;

	if (size2 > TLOG_MAX_SIZE || size1 > size2)
		return -1;
	if (size1 == 0 || size1 == size2)
		return 0;
	/* SUBPROOF(m, D[lo:hi), b) from the top; whole is b. */
	while (m != hi - lo) {
		k = split_point(hi - lo);
		if (m <= k) {
			down[n++] = (struct tlog_range){ lo + k, hi };
			hi = lo + k;
		} else {
			down[n++] = (struct tlog_range){ lo, lo + k };
			lo += k;
			m -= k;
			whole = 0;
		}
	}
	if (!whole)
		down[n++] = (struct tlog_range){ lo, hi };
	for (i = 0; i < n; i++)
		out[i] = down[n - 1 - i];
	return n;
}

int
tlog_range_nodes(struct tlog_range r, struct tlog_node out[TLOG_MAX_NODES])
{
	uint64_t cur = r.lo, rem, size;
	unsigned level;
	int n = 0;

	if (r.hi <= r.lo || r.hi > TLOG_MAX_SIZE)
		return -1;
	rem = r.hi - r.lo;
	while (rem > 0) {
		level = 0;
		while (((uint64_t)2 << level) <= rem)
			level++;
		size = (uint64_t)1 << level;
		if (cur % size != 0 || n == TLOG_MAX_NODES)
			return -1;
		out[n++] = (struct tlog_node){ level, cur >> level };
		cur += size;
		rem -= size;
	}
	return n;
}

void
tlog_fold(
    unsigned char out[TLOG_HASH_LEN], const unsigned char *hashes, size_t n)
{
	unsigned char h[TLOG_HASH_LEN];
	size_t i = n - 1;

	memcpy(h, hashes + i * TLOG_HASH_LEN, TLOG_HASH_LEN);
	while (i-- > 0)
		tlog_node_hash(h, hashes + i * TLOG_HASH_LEN, h);
	memcpy(out, h, TLOG_HASH_LEN);
}

int64_t
tlog_node_id(struct tlog_node nd)
{
	return (int64_t)(((uint64_t)nd.level << 48) | nd.index);
}

int
tlog_append(uint64_t size, unsigned char (*front)[TLOG_HASH_LEN],
    size_t *nfront, const unsigned char leaf_hash[TLOG_HASH_LEN],
    struct tlog_node made[TLOG_MAX_NODES],
    unsigned char (*made_hash)[TLOG_HASH_LEN])
{
	unsigned char cur[TLOG_HASH_LEN];
	uint64_t idx = size;
	unsigned level = 0;
	int n = 0;

	if (size >= TLOG_MAX_SIZE)
		return -1;
	memcpy(cur, leaf_hash, TLOG_HASH_LEN);
	made[n] = (struct tlog_node){ 0, idx };
	memcpy(made_hash[n++], cur, TLOG_HASH_LEN);
	/* Each odd index completes the subtree with its left neighbour,
	 * which is the frontier's last node. */
	while ((idx & 1) != 0) {
		if (*nfront == 0)
			return -1;
		tlog_node_hash(cur, front[--*nfront], cur);
		idx >>= 1;
		level++;
		made[n] = (struct tlog_node){ level, idx };
		memcpy(made_hash[n++], cur, TLOG_HASH_LEN);
	}
	memcpy(front[(*nfront)++], cur, TLOG_HASH_LEN);
	return n;
}
