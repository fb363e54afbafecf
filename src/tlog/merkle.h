/*
 * The Merkle tree of the key-transparency log (docs/transparency.md): RFC
 * 6962 hashing (RFC 9162 §2.1), the verification of inclusion and
 * consistency proofs (RFC 9162 §2.1.3.2, §2.1.4.2), and the bookkeeping the
 * server needs to make them from stored subtree hashes. Pure functions,
 * shared by securetransferd and the CLI; no I/O, no allocation.
 *
 * A tree of n leaves D[0:n) has the root MTH(D[0:n)): SHA-256() for n = 0,
 * SHA-256(0x00 ‖ leaf) for one leaf, SHA-256(0x01 ‖ MTH(D[0:k)) ‖
 * MTH(D[k:n))) with k the largest power of two below n otherwise. Every
 * subtree of the form D[i·2^l : (i+1)·2^l) inside the tree is "node (l, i)";
 * the server stores those (level 0: leaf hashes) and never changes them, so
 * every earlier tree, and every proof for it, can still be made from them.
 */
#ifndef ST_TLOG_MERKLE_H
#define ST_TLOG_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#define TLOG_HASH_LEN 32
/* The largest tree this code handles: 2^48 leaves. Sizes above it are
 * refused wherever they come from, so no arithmetic below overflows. */
#define TLOG_MAX_SIZE ((uint64_t)1 << 48)
/* Proofs in trees up to TLOG_MAX_SIZE have at most 48 hashes (inclusion)
 * or 49 (consistency); arrays of this many are always enough. */
#define TLOG_MAX_PROOF 64
/* Nodes that make up one range (its binary decomposition): <= 48. */
#define TLOG_MAX_NODES 64

/* A range of leaves [lo, hi) whose MTH a proof carries. */
struct tlog_range {
	uint64_t lo, hi;
};

/* A stored subtree: leaves [index·2^level, (index+1)·2^level). */
struct tlog_node {
	unsigned level;
	uint64_t index;
};

/* SHA-256(0x00 ‖ leaf). */
void tlog_leaf_hash(
    unsigned char out[TLOG_HASH_LEN], const unsigned char *leaf, size_t len);
/* SHA-256(0x01 ‖ left ‖ right). out may alias either input. */
void tlog_node_hash(unsigned char out[TLOG_HASH_LEN],
    const unsigned char left[TLOG_HASH_LEN],
    const unsigned char right[TLOG_HASH_LEN]);
/* SHA-256() = e3b0c442…: the root of the empty tree. */
void tlog_empty_root(unsigned char out[TLOG_HASH_LEN]);

/*
 * RFC 9162 §2.1.3.2: 0 if proof (n hashes of 32 bytes one after the
 * other, the leaf's sibling first) shows that the leaf
 * with hash leaf_hash is leaf number index of the tree of size leaves whose
 * root is root; -1 otherwise (index >= size, size > TLOG_MAX_SIZE, a proof
 * of the wrong length, a hash that does not match).
 */
int tlog_verify_inclusion(const unsigned char leaf_hash[TLOG_HASH_LEN],
    uint64_t index, uint64_t size, const unsigned char *proof, size_t n,
    const unsigned char root[TLOG_HASH_LEN]);

/*
 * RFC 9162 §2.1.4.2: 0 if proof shows that the tree of size2 leaves with
 * root root2 extends the tree of size1 leaves with root root1; -1
 * otherwise. size1 == size2 needs an empty proof and equal roots (the
 * split-view check); size1 == 0 needs an empty proof (every tree extends
 * the empty one); size1 > size2 always fails.
 */
int tlog_verify_consistency(uint64_t size1, uint64_t size2,
    const unsigned char root1[TLOG_HASH_LEN],
    const unsigned char root2[TLOG_HASH_LEN], const unsigned char *proof,
    size_t n);

/*
 * The ranges whose MTH make up the inclusion proof of leaf index in the
 * tree of size leaves (RFC 6962 §2.1.1 PATH, in proof order: the leaf's
 * sibling first). Returns their number, or -1 if index >= size or size >
 * TLOG_MAX_SIZE.
 */
int tlog_inclusion_ranges(
    uint64_t index, uint64_t size, struct tlog_range out[TLOG_MAX_PROOF]);

/*
 * The ranges of the consistency proof from size1 to size2 (RFC 6962 §2.1.2
 * PROOF, in proof order). 0 ranges for size1 == 0 or size1 == size2; -1 if
 * size1 > size2 or size2 > TLOG_MAX_SIZE.
 */
int tlog_consistency_ranges(
    uint64_t size1, uint64_t size2, struct tlog_range out[TLOG_MAX_PROOF]);

/*
 * The stored nodes whose hashes give MTH of [lo, hi): the binary
 * decomposition of the range, largest first. Every range a proof or a
 * root needs (lo a multiple of the largest power of two not above hi - lo,
 * as in RFC 6962's recursion) decomposes so. Returns their number, or -1
 * for an empty or misaligned range.
 */
int tlog_range_nodes(struct tlog_range r, struct tlog_node out[TLOG_MAX_NODES]);

/*
 * MTH of a range from the hashes (n × 32 bytes) of its tlog_range_nodes,
 * in that order:
 * the right-most two are combined first (RFC 6962's recursion read
 * backwards). n >= 1.
 */
void tlog_fold(
    unsigned char out[TLOG_HASH_LEN], const unsigned char *hashes, size_t n);

/*
 * The key of a stored node in the database: level in the top 16 bits,
 * index in the lower 48.
 */
int64_t tlog_node_id(struct tlog_node nd);

/*
 * Appending one leaf to a tree of size leaves whose frontier (the
 * tlog_range_nodes of [0, size)) has the hashes front[0..nfront): writes
 * the nodes the new leaf completes (level 0 first, then each parent) to
 * made/made_hash and returns their number (>= 1), and leaves the frontier
 * of size + 1 in front/nfront. The caller stores the made nodes.
 */
int tlog_append(uint64_t size, unsigned char (*front)[TLOG_HASH_LEN],
    size_t *nfront, const unsigned char leaf_hash[TLOG_HASH_LEN],
    struct tlog_node made[TLOG_MAX_NODES],
    unsigned char (*made_hash)[TLOG_HASH_LEN]);

#endif
