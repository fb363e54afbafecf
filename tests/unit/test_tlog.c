/* Tests for src/tlog: RFC 6962 trees, proofs, leaves, signed checkpoints. */
#include "unit.h"

#include <sodium.h>

#include "../tools/stf1-testlib.h"
#include "../tools/tlog-testlib.h"
#include "envelope/ed25519.h"
#include "tlog/leaf.h"
#include "tlog/merkle.h"
#include "tlog/note.h"

/* The Certificate Transparency reference tree (RFC 6962 test data). */
static const char *const ct_leaves[] = { "", "00", "10", "2021", "3031",
	"40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f" };
static const char *const ct_roots[] = {
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
	"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
	"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
	"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
	"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
	"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
	"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

#define MAXN 70

static unsigned char leaves[MAXN][32];

/* Leaf hashes: the CT leaves for the first 8, then patterned bytes. */
static void
make_leaves(void)
{
	unsigned char buf[16];
	size_t i, n;

	for (i = 0; i < MAXN; i++) {
		if (i < 8) {
			n = strlen(ct_leaves[i]) / 2;
			tl_unhex(buf, n, ct_leaves[i]);
		} else {
			n = 3;
			buf[0] = (unsigned char)i;
			buf[1] = (unsigned char)(i * 7);
			buf[2] = 0x5a;
		}
		tlog_leaf_hash(leaves[i], buf, n);
	}
}

/* The proof hashes of a list of ranges. */
static void
proof_of(unsigned char (*out)[32], const struct tlog_range *r, int n)
{
	int i;

	for (i = 0; i < n; i++)
		tlog_ref_mth(out[i], leaves, (size_t)r[i].lo, (size_t)r[i].hi);
}

TEST(tlog_ct_reference_roots)
{
	unsigned char want[32], got[32];
	size_t n;

	make_leaves();
	for (n = 0; n <= 8; n++) {
		tl_unhex(want, 32, ct_roots[n]);
		tlog_ref_mth(got, leaves, 0, n);
		CHECK(memcmp(got, want, 32) == 0);
	}
}

TEST(tlog_ct_reference_proofs)
{
	struct tlog_range r[TLOG_MAX_PROOF];
	unsigned char p[TLOG_MAX_PROOF][32], want[32];
	int n;

	make_leaves();
	/* Inclusion of leaf 5 in 8 and consistency 6 -> 8, as published. */
	n = tlog_inclusion_ranges(5, 8, r);
	REQUIRE(n == 3);
	proof_of(p, r, n);
	tl_unhex(want, 32,
	    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b");
	CHECK(memcmp(p[0], want, 32) == 0);
	tl_unhex(want, 32, ct_roots[4]);
	CHECK(memcmp(p[2], want, 32) == 0);
	n = tlog_consistency_ranges(6, 8, r);
	REQUIRE(n == 3);
	proof_of(p, r, n);
	tl_unhex(want, 32,
	    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a");
	CHECK(memcmp(p[0], want, 32) == 0);
	tl_unhex(want, 32,
	    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0");
	CHECK(memcmp(p[1], want, 32) == 0);
	n = tlog_consistency_ranges(2, 8, r);
	CHECK(n == 2);
}

TEST(tlog_every_inclusion_proof_verifies_and_mangled_ones_fail)
{
	struct tlog_range r[TLOG_MAX_PROOF];
	unsigned char p[TLOG_MAX_PROOF][32], root[32];
	size_t size, i;
	int n;

	make_leaves();
	for (size = 1; size <= MAXN; size++) {
		tlog_ref_mth(root, leaves, 0, size);
		for (i = 0; i < size; i++) {
			n = tlog_inclusion_ranges(i, size, r);
			REQUIRE(n >= 0);
			proof_of(p, r, n);
			CHECK(tlog_verify_inclusion(leaves[i], i, size, p[0],
			          (size_t)n, root) == 0);
			/* Another leaf, index, size or a shorter proof. */
			CHECK(tlog_verify_inclusion(leaves[(i + 1) % MAXN], i,
			          size, p[0], (size_t)n, root) == -1);
			if (size > 1)
				CHECK(tlog_verify_inclusion(leaves[i],
				          (i + 1) % size, size, p[0], (size_t)n,
				          root) == -1);
			if (n > 0) {
				CHECK(tlog_verify_inclusion(leaves[i], i, size,
				          p[0], (size_t)n - 1, root) == -1);
				p[n - 1][3] ^= 1;
				CHECK(tlog_verify_inclusion(leaves[i], i, size,
				          p[0], (size_t)n, root) == -1);
			}
			memcpy(p[n], root, 32);
			CHECK(tlog_verify_inclusion(leaves[i], i, size, p[0],
			          (size_t)n + 1, root) == -1);
		}
		CHECK(tlog_inclusion_ranges(size, size, r) == -1);
	}
}

TEST(tlog_every_consistency_proof_verifies_and_mangled_ones_fail)
{
	struct tlog_range r[TLOG_MAX_PROOF];
	unsigned char p[TLOG_MAX_PROOF][32], r1[32], r2[32], other[32];
	size_t a, b;
	int n;

	make_leaves();
	for (b = 0; b <= MAXN; b++) {
		tlog_ref_mth(r2, leaves, 0, b);
		for (a = 0; a <= b; a++) {
			tlog_ref_mth(r1, leaves, 0, a);
			n = tlog_consistency_ranges(a, b, r);
			REQUIRE(n >= 0);
			proof_of(p, r, n);
			CHECK(tlog_verify_consistency(
			          a, b, r1, r2, p[0], (size_t)n) == 0);
			/* The same size with another root: a split view. */
			memcpy(other, r2, 32);
			other[0] ^= 1;
			if (a > 0)
				CHECK(tlog_verify_consistency(a, b, r1, other,
				          p[0], (size_t)n) == -1);
			if (a > 0 && a < b) {
				CHECK(tlog_verify_consistency(a, b, other, r2,
				          p[0], (size_t)n) == -1);
				CHECK(tlog_verify_consistency(a, b, r1, r2,
				          p[0], (size_t)n - 1) == -1);
				p[0][0] ^= 1;
				CHECK(tlog_verify_consistency(
				          a, b, r1, r2, p[0], (size_t)n) == -1);
				CHECK(tlog_verify_consistency(
				          b, a, r2, r1, p[0], (size_t)n) == -1);
			}
		}
	}
}

TEST(tlog_range_nodes_and_append_agree_with_the_definition)
{
	unsigned char front[TLOG_MAX_NODES][32], made[TLOG_MAX_NODES][32];
	unsigned char root[32], want[32];
	struct tlog_node nd[TLOG_MAX_NODES], m[TLOG_MAX_NODES];
	size_t nfront = 0, size;
	int n, i;

	make_leaves();
	for (size = 0; size < 64; size++) {
		n = tlog_append(size, front, &nfront, leaves[size], m, made);
		REQUIRE(n >= 1 && n <= 7);
		/* Each node it made is the subtree it names. */
		for (i = 0; i < n; i++) {
			tlog_ref_mth(want, leaves,
			    (size_t)(m[i].index << m[i].level),
			    (size_t)((m[i].index + 1) << m[i].level));
			CHECK(memcmp(made[i], want, 32) == 0);
		}
		/* The frontier folds to the root of size + 1 and is the
		 * decomposition of [0, size + 1). */
		tlog_fold(root, front[0], nfront);
		tlog_ref_mth(want, leaves, 0, size + 1);
		CHECK(memcmp(root, want, 32) == 0);
		n = tlog_range_nodes((struct tlog_range){ 0, size + 1 }, nd);
		REQUIRE(n == (int)nfront);
		for (i = 0; i < n; i++) {
			tlog_ref_mth(want, leaves,
			    (size_t)(nd[i].index << nd[i].level),
			    (size_t)((nd[i].index + 1) << nd[i].level));
			CHECK(memcmp(front[i], want, 32) == 0);
		}
	}
	CHECK(tlog_range_nodes((struct tlog_range){ 3, 7 }, nd) == -1);
	CHECK(tlog_range_nodes((struct tlog_range){ 4, 4 }, nd) == -1);
	n = tlog_range_nodes((struct tlog_range){ 8, 13 }, nd);
	CHECK(n == 2 && nd[0].level == 2 && nd[0].index == 2 &&
	    nd[1].level == 0 && nd[1].index == 12);
	CHECK(tlog_node_id((struct tlog_node){ 2, 5 }) ==
	    (int64_t)(((uint64_t)2 << 48) | 5));
}

TEST(tlog_leaf_roundtrip_and_strict_decode)
{
	struct tlog_leaf l = { 0 }, back;
	unsigned char buf[TLOG_LEAF_LEN], pk[32] = { 7 }, h[32];

	l.event = TLOG_EV_RESET;
	l.epoch = 3;
	l.time = 1700000000;
	tlog_address_hash(l.addr, "jan@minbzk.nl");
	tlog_key_hash(l.x25519, pk);
	pk[0] = 8;
	tlog_key_hash(l.ed25519, pk);
	tlog_leaf_encode(buf, &l);
	REQUIRE(tlog_leaf_decode(&back, buf, sizeof(buf)) == 0);
	CHECK(back.event == TLOG_EV_RESET && back.epoch == 3 &&
	    back.time == 1700000000 && memcmp(back.addr, l.addr, 32) == 0 &&
	    memcmp(back.ed25519, l.ed25519, 32) == 0);
	CHECK(tlog_leaf_decode(&back, buf, sizeof(buf) - 1) == -1);
	buf[6] = 1;
	CHECK(tlog_leaf_decode(&back, buf, sizeof(buf)) == -1);
	buf[6] = 0;
	buf[5] = 9;
	CHECK(tlog_leaf_decode(&back, buf, sizeof(buf)) == -1);
	buf[5] = 1;
	memset(buf + 8, 0, 8); /* epoch 0 */
	CHECK(tlog_leaf_decode(&back, buf, sizeof(buf)) == -1);
	/* The address label is domain-separated with its NUL. */
	crypto_hash_sha256(h, (const unsigned char *)"jan@minbzk.nl", 13);
	CHECK(memcmp(h, l.addr, 32) != 0);
	CHECK(strcmp(tlog_event_name(TLOG_EV_MAILBOX), "mailbox") == 0);
}

/* golang.org/x/mod/sumdb/note's documented example key and signature. */
TEST(tlog_key_texts_match_go_sumdb_note)
{
	static const char skey[] =
	    "PRIVATE+KEY+PeterNeumann+c74f20a3+"
	    "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
	static const char vkey[] =
	    "PeterNeumann+c74f20a3+"
	    "ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
	static const char text[] =
	    "If you think cryptography is the answer to your problem,\n"
	    "then you don't know what your problem is.\n";
	static const char sig[] =
	    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNI"
	    "uGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=";
	struct tlog_signer s;
	struct tlog_verifier v;
	unsigned char want[68], got[64];
	char out[TLOG_KEY_TEXT_MAX + 1];
	size_t n;

	REQUIRE(tlog_signer_parse(&s, skey, strlen(skey)) == 0);
	REQUIRE(tlog_verifier_parse(&v, vkey, strlen(vkey)) == 0);
	CHECK(s.v.hash == 0xc74f20a3 && v.hash == 0xc74f20a3);
	CHECK(memcmp(s.v.pk, v.pk, 32) == 0);
	REQUIRE(tlog_verifier_format(&s.v, out, sizeof(out)) == 0);
	CHECK(strcmp(out, vkey) == 0);
	REQUIRE(tlog_signer_format(&s, out, sizeof(out)) == 0);
	CHECK(strcmp(out, skey) == 0);
	REQUIRE(sodium_base642bin(want, sizeof(want), sig, strlen(sig), NULL,
	            &n, NULL, sodium_base64_VARIANT_ORIGINAL) == 0 &&
	    n == 68);
	REQUIRE(ed25519_sign(got, s.seed, (const unsigned char *)text,
	            strlen(text)) == 0);
	CHECK(memcmp(got, want + 4, 64) == 0);
	/* A wrong hash, algorithm or name is refused. */
	CHECK(tlog_verifier_parse(&v,
	          "PeterNeumann+c74f20a4+"
	          "ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
	          66) == -1);
	CHECK(tlog_verifier_parse(&v,
	          "Peter Neumann+c74f20a3+"
	          "ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
	          67) == -1);
	CHECK(tlog_signer_parse(&s, vkey, strlen(vkey)) == -1);
	tlog_signer_wipe(&s);
}

static void
sign_cp(const struct tlog_signer *s, uint64_t size, unsigned char root0,
    char *out, size_t outlen)
{
	struct tlog_checkpoint cp = { .size = size };

	snprintf(cp.origin, sizeof(cp.origin), "%s", s->v.name);
	memset(cp.root, root0, 32);
	if (tlog_checkpoint_sign(s, &cp, out, outlen) < 0)
		out[0] = '\0';
}

TEST(tlog_checkpoints_open_only_when_signed_by_the_key)
{
	struct tlog_signer s, other;
	struct tlog_checkpoint cp;
	char note[TLOG_NOTE_MAX], bad[TLOG_NOTE_MAX + 64];
	size_t n;

	REQUIRE(tlog_signer_generate(&s, "st.example/log") == 0);
	REQUIRE(tlog_signer_generate(&other, "st.example/log") == 0);
	sign_cp(&s, 12, 0xab, note, sizeof(note));
	n = strlen(note);
	REQUIRE(n > 0);
	REQUIRE(tlog_checkpoint_open(&s.v, note, n, &cp) == TLOG_NOTE_OK);
	CHECK(cp.size == 12 && cp.root[31] == 0xab &&
	    strcmp(cp.origin, "st.example/log") == 0);
	/* Another key with the same name: its signature is not ours. */
	CHECK(
	    tlog_checkpoint_open(&other.v, note, n, &cp) == TLOG_NOTE_UNSIGNED);
	/* A witness's co-signature is ignored, ours still counts. */
	snprintf(
	    bad, sizeof(bad), "%s\xe2\x80\x94 witness.example/w1 AAAA\n", note);
	CHECK(
	    tlog_checkpoint_open(&s.v, bad, strlen(bad), &cp) == TLOG_NOTE_OK);
	/* The size changed after signing. */
	snprintf(bad, sizeof(bad), "%s", note);
	bad[strlen("st.example/log\n")] = '3';
	CHECK(
	    tlog_checkpoint_open(&s.v, bad, n, &cp) == TLOG_NOTE_BAD_SIGNATURE);
	/* Leading zeros, extension lines, no signature, no final newline. */
	snprintf(bad, sizeof(bad), "st.example/log\n012\n%s",
	    strchr(note, '\n') + 4);
	CHECK(
	    tlog_checkpoint_open(&s.v, bad, strlen(bad), &cp) != TLOG_NOTE_OK);
	snprintf(bad, sizeof(bad), "st.example/log\n12\n");
	CHECK(tlog_checkpoint_open(&s.v, bad, strlen(bad), &cp) ==
	    TLOG_NOTE_MALFORMED);
	CHECK(tlog_checkpoint_open(&s.v, note, n - 1, &cp) ==
	    TLOG_NOTE_MALFORMED);
	memcpy(bad, note, n);
	bad[3] = '\x01';
	CHECK(tlog_checkpoint_open(&s.v, bad, n, &cp) == TLOG_NOTE_MALFORMED);
	/* Another log's head, signed by its own key. */
	{
		struct tlog_signer x;

		REQUIRE(tlog_signer_generate(&x, "other.example/log") == 0);
		sign_cp(&x, 1, 1, bad, sizeof(bad));
		CHECK(tlog_checkpoint_open(&s.v, bad, strlen(bad), &cp) ==
		    TLOG_NOTE_UNSIGNED);
		tlog_signer_wipe(&x);
	}
	CHECK(tlog_signer_generate(&other, "has space") == -1);
	CHECK(tlog_signer_generate(&other, "a+b") == -1);
	tlog_signer_wipe(&s);
	tlog_signer_wipe(&other);
}
