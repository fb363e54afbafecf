/* Tests for src/envelope: derivations, stanzas, key ids, the manifest. */
#include "unit.h"

#include "../tools/stf1-testlib.h"
#include "envelope/wordlist.h"

static const unsigned char mid[16] = { 9, 8, 7, 6, 5, 4, 3, 2, 1 };

TEST(envelope_kdf_labels_bind_inputs)
{
	unsigned char k[32] = { 1 }, salt[32] = { 2 }, a[32], b[32], c[32];

	REQUIRE(kdf_file_keys(a, b, k, mid, 0, salt) == 0);
	CHECK(memcmp(a, b, 32) != 0);
	REQUIRE(kdf_file_keys(c, NULL, k, mid, 1, salt) == 0);
	CHECK(memcmp(a, c, 32) != 0);
	REQUIRE(kdf_manifest_key(c, k, mid) == 0);
	CHECK(memcmp(a, c, 32) != 0);
	/* RFC 5869 test case 1 through kdf_hkdf. */
	{
		unsigned char ikm[22], s[13], info[10], okm[32], want[32];
		size_t i;

		memset(ikm, 0x0b, sizeof(ikm));
		for (i = 0; i < sizeof(s); i++)
			s[i] = (unsigned char)i;
		for (i = 0; i < sizeof(info); i++)
			info[i] = (unsigned char)(0xf0 + i);
		REQUIRE(tl_unhex(want, 32,
		            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5d"
		            "b02d56ecc4c5bf") == 0);
		REQUIRE(kdf_hkdf(okm, ikm, sizeof(ikm), s, sizeof(s), info,
		            sizeof(info)) == 0);
		CHECK(memcmp(okm, want, 32) == 0);
	}
}

TEST(envelope_x25519_stanza_roundtrip)
{
	unsigned char sk[32], pk[32], k[32], back[32], st[80], other[32];

	rand_bytes(sk, 32);
	rand_bytes(k, 32);
	rand_bytes(other, 32);
	REQUIRE(stanza_x25519_public(pk, sk) == 0);
	REQUIRE(stanza_x25519_wrap(st, k, mid, pk) == STF1_OK);
	CHECK(stanza_x25519_unwrap(back, st, mid, sk) == STF1_OK);
	CHECK(memcmp(back, k, 32) == 0);
	CHECK(
	    stanza_x25519_unwrap(back, st, mid, other) == STF1_ERR_STANZA_AUTH);
	st[40] ^= 1;
	CHECK(stanza_x25519_unwrap(back, st, mid, sk) == STF1_ERR_STANZA_AUTH);
}

TEST(envelope_x25519_refuses_low_order_points)
{
	/* u = 0, u = 1 and an order-8 point: X25519 gives all zeros. */
	static const char *const low[] = {
		"00000000000000000000000000000000000000000000000000000000000000"
		"00",
		"01000000000000000000000000000000000000000000000000000000000000"
		"00",
		"e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b8"
		"00",
	};
	unsigned char sk[32], pk[32], k[32] = { 0 }, st[80];
	size_t i;

	rand_bytes(sk, 32);
	for (i = 0; i < ST_ARRAY_LEN(low); i++) {
		REQUIRE(tl_unhex(pk, 32, low[i]) == 0);
		CHECK(stanza_x25519_wrap(st, k, mid, pk) ==
		    STF1_ERR_ZERO_SHARED_SECRET);
		memset(st, 0x55, sizeof(st));
		memcpy(st, pk, 32);
		CHECK(stanza_x25519_unwrap(k, st, mid, sk) ==
		    STF1_ERR_ZERO_SHARED_SECRET);
	}
}

TEST(envelope_link_stanza_roundtrip)
{
	unsigned char s[32], r[32], k[32], back[32], st[48], other[16] = { 1 };

	rand_bytes(s, 32);
	rand_bytes(r, 32);
	rand_bytes(k, 32);
	REQUIRE(stanza_link_wrap(st, k, mid, s, r) == STF1_OK);
	CHECK(stanza_link_unwrap(back, st, mid, s, r) == STF1_OK);
	CHECK(memcmp(back, k, 32) == 0);
	CHECK(
	    stanza_link_unwrap(back, st, other, s, r) == STF1_ERR_STANZA_AUTH);
	r[0] ^= 1;
	CHECK(stanza_link_unwrap(back, st, mid, s, r) == STF1_ERR_STANZA_AUTH);
}

/*
 * Strict delivery: the sender's sealed copy of S. The known answer was
 * computed with pyca/cryptography (HKDF-SHA-256, AES-GCM) and is the one
 * tests/envelope/suite.js checks in the browser code.
 */
TEST(envelope_link_secret_seal_open)
{
	static const char want_hex[] =
	    "444444444444444444444444"
	    "9e386f29ed69ac4c13f0e672024d06bb1dfbb1bf1302bbccbf8b3c83ff8497d3"
	    "84ea5d0586f3707f2bf218a812ca9c21";
	unsigned char k[32], s[32], id[16], sealed[STANZA_LINK_SECRET_LEN],
	    again[STANZA_LINK_SECRET_LEN], back[32];
	size_t i;

	memset(k, 0x11, sizeof(k));
	memset(id, 0x33, sizeof(id));
	for (i = 0; i < 32; i++)
		s[i] = (unsigned char)i;
	for (i = 0; i < sizeof(sealed); i++) {
		unsigned int v;

		REQUIRE(sscanf(want_hex + 2 * i, "%2x", &v) == 1);
		sealed[i] = (unsigned char)v;
	}
	CHECK(stanza_link_secret_open(back, sealed, k, id) == STF1_OK);
	CHECK(memcmp(back, s, 32) == 0);
	/* Sealing twice gives two nonces, both open. */
	REQUIRE(stanza_link_secret_seal(again, s, k, id) == STF1_OK);
	CHECK(memcmp(again, sealed, 12) != 0);
	CHECK(stanza_link_secret_open(back, again, k, id) == STF1_OK);
	CHECK(memcmp(back, s, 32) == 0);
	/* Another message, another K, a changed byte: nothing opens. */
	id[0] ^= 1;
	CHECK(stanza_link_secret_open(back, sealed, k, id) ==
	    STF1_ERR_STANZA_AUTH);
	id[0] ^= 1;
	k[31] ^= 1;
	CHECK(stanza_link_secret_open(back, sealed, k, id) ==
	    STF1_ERR_STANZA_AUTH);
	k[31] ^= 1;
	sealed[59] ^= 1;
	CHECK(stanza_link_secret_open(back, sealed, k, id) ==
	    STF1_ERR_STANZA_AUTH);
}

TEST(envelope_key_id_words)
{
	unsigned char id[16];
	unsigned idx[KEYID_WORDS];
	char w[KEYID_WORDS_MAX];

	memset(id, 0, sizeof(id));
	CHECK(keyid_words(w, sizeof(w), id) == 0);
	CHECK(
	    strcmp(w, "aanbouw aanbouw aanbouw aanbouw aanbouw aanbouw") == 0);
	memset(id, 0xff, sizeof(id));
	CHECK(keyid_words(w, sizeof(w), id) == 0);
	CHECK(strcmp(w, "zwerm zwerm zwerm zwerm zwerm zwerm") == 0);
	/* Bits 9, 19, 29, 39, 49 and 59 set: indexes 1, 1, 1, 1, 1, 1. */
	memset(id, 0, sizeof(id));
	id[1] = 0x40;
	id[2] = 0x10;
	id[3] = 0x04;
	id[4] = 0x01;
	id[6] = 0x40;
	id[7] = 0x10;
	keyid_word_indexes(idx, id);
	CHECK(idx[0] == 1 && idx[1] == 1 && idx[2] == 1 && idx[3] == 1 &&
	    idx[4] == 1 && idx[5] == 1);
	CHECK(strcmp(wordlist_nl[1], "aandeel") == 0);
	/* The longest six words with their spaces still fit. */
	CHECK(keyid_words(w, 10, id) == -1);
}

static json_t *
sample(const unsigned char pk[32])
{
	char spk[64], id[32], h[64];
	unsigned char zero[32] = { 0 };

	b64u_encode(spk, sizeof(spk), pk, 32);
	b64u_encode(id, sizeof(id), mid, 16);
	b64u_encode(h, sizeof(h), zero, 32);
	return json_pack(
	    "{s:i, s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:{s:s, s:s}, "
	    "s:s, s:s, s:s, s:[{s:i, s:s, s:i, s:s, s:s}]}",
	    "v", 1, "msg_id", id, "created_at", "2026-01-02T03:04:05Z",
	    "sender", "kind", "external", "user_id", "", "address",
	    "x@example.com", "sign_pk", spk, "recipient", "address", "a@org.nl",
	    "key_id", "link", "subject", "a/b \"q\"", "reference", "", "text",
	    "\xc3\xa9\n", "files", "index", 0, "name", "n.pdf", "size", 3,
	    "mime", "application/pdf", "header_sha256", h);
}

TEST(envelope_manifest_canonical_form)
{
	unsigned char seed[32] = { 7 }, pk[32];
	json_t *m;
	char *c;
	size_t len;

	REQUIRE(ed25519_public(pk, seed) == 0);
	m = sample(pk);
	REQUIRE(manifest_check(m, mid, 0) == STF1_OK);
	REQUIRE(manifest_canonical(m, 1, &c, &len) == STF1_OK);
	/* Sorted keys, no spaces, "/" and non-ASCII as themselves. */
	CHECK(strncmp(c,
	          "{\"created_at\":\"2026-01-02T03:04:05Z\",\"files\":[{"
	          "\"header_sha256\":",
	          60) == 0);
	CHECK(strstr(c, "\"subject\":\"a/b \\\"q\\\"\"") != NULL);
	CHECK(strstr(c, "\"text\":\"\xc3\xa9\\n\"") != NULL);
	CHECK(strstr(c, ": ") == NULL && strlen(c) == len);
	free(c);
	/* Control characters other than \b\f\n\r\t, reals, negatives. */
	json_object_set_new(m, "text", json_string("a\x01"));
	CHECK(manifest_canonical(m, 1, &c, &len) == STF1_ERR_MANIFEST_INVALID);
	json_object_set_new(m, "text", json_string("\b\f\n\r\t"));
	CHECK(manifest_canonical(m, 1, &c, &len) == STF1_OK);
	free(c);
	json_object_set_new(m, "text", json_real(1.5));
	CHECK(manifest_canonical(m, 1, &c, &len) == STF1_ERR_MANIFEST_INVALID);
	json_object_set_new(m, "text", json_integer(-1));
	CHECK(manifest_canonical(m, 1, &c, &len) == STF1_ERR_MANIFEST_INVALID);
	json_object_set_new(m, "text", json_string(""));
	CHECK(manifest_check(m, mid, 0) == STF1_OK);
	CHECK(manifest_check(m, mid, 1) == STF1_ERR_MANIFEST_INVALID);
	json_object_set_new(
	    m, "created_at", json_string("2026-13-02T03:04:05Z"));
	CHECK(manifest_check(m, mid, 0) == STF1_ERR_MANIFEST_INVALID);
	json_decref(m);
}

TEST(envelope_manifest_sign_seal_open)
{
	unsigned char seed[32] = { 7 }, other[32] = { 8 }, pk[32], k[32],
	              *sealed;
	json_t *m, *opened = NULL;
	size_t len;

	rand_bytes(k, 32);
	REQUIRE(ed25519_public(pk, seed) == 0);
	m = sample(pk);
	CHECK(manifest_sign(m, other) == STF1_ERR_ARGUMENT);
	REQUIRE(manifest_sign(m, seed) == STF1_OK);
	CHECK(manifest_verify(m) == STF1_OK);
	REQUIRE(manifest_seal(&sealed, &len, m, k, mid, NULL) == STF1_OK);
	CHECK(manifest_open(&opened, sealed, len, k, mid) == STF1_OK);
	CHECK(opened != NULL && json_equal(opened, m));
	json_decref(opened);
	sealed[len - 1] ^= 1;
	CHECK(manifest_open(&opened, sealed, len, k, mid) ==
	    STF1_ERR_MANIFEST_AUTH);
	CHECK(manifest_open(&opened, sealed, 10, k, mid) ==
	    STF1_ERR_MANIFEST_AUTH);
	free(sealed);
	/* Any change after signing breaks the signature. */
	json_object_set_new(m, "subject", json_string("other"));
	CHECK(manifest_verify(m) == STF1_ERR_SIGNATURE);
	REQUIRE(manifest_seal(&sealed, &len, m, k, mid, NULL) == STF1_OK);
	CHECK(
	    manifest_open(&opened, sealed, len, k, mid) == STF1_ERR_SIGNATURE);
	free(sealed);
	json_decref(m);
}
