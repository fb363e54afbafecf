/* Tests for src/envelope/stf1.c: sizes, error names, the header. */
#include "unit.h"

#include "envelope/stf1.h"

#define MIB (UINT64_C(1) << 20)

TEST(envelope_size_formula)
{
	uint64_t c = 0;

	CHECK(stf1_ciphertext_size(0, 20, &c) == STF1_OK && c == 112);
	CHECK(stf1_ciphertext_size(1, 20, &c) == STF1_OK && c == 113);
	CHECK(
	    stf1_ciphertext_size(MIB, 20, &c) == STF1_OK && c == 96 + MIB + 16);
	CHECK(stf1_ciphertext_size(MIB + 1, 20, &c) == STF1_OK &&
	    c == 96 + MIB + 1 + 32);
	CHECK(stf1_ciphertext_size(3 * MIB + 17, 20, &c) == STF1_OK &&
	    c == 96 + 3 * MIB + 17 + 64);
	CHECK(stf1_ciphertext_size(65537, 16, &c) == STF1_OK &&
	    c == 96 + 65537 + 32);
	CHECK(stf1_ciphertext_size(1, 15, &c) == STF1_ERR_RECORD_SIZE);
	CHECK(stf1_ciphertext_size(1, 23, &c) == STF1_ERR_RECORD_SIZE);
	/* 2^32 records is the limit; one byte more needs too many. */
	CHECK(stf1_ciphertext_size(UINT64_C(1) << 52, 20, &c) == STF1_OK &&
	    c == 96 + (UINT64_C(1) << 52) + (UINT64_C(16) << 32));
	CHECK(stf1_ciphertext_size((UINT64_C(1) << 52) + 1, 20, &c) ==
	    STF1_ERR_SIZE);
	CHECK(stf1_ciphertext_size(UINT64_MAX, 22, &c) == STF1_ERR_SIZE);
	CHECK(stf1_ciphertext_size(UINT64_MAX - 50, 16, &c) == STF1_ERR_SIZE);
}

TEST(envelope_size_inverse)
{
	static const uint64_t ps[] = { 0, 1, 2, 65535, 65536, 65537, MIB - 1,
		MIB, MIB + 1, 3 * MIB + 17, 100 * MIB, UINT64_C(1) << 52 };
	uint64_t c, p, back;
	unsigned log2;
	size_t i;

	for (log2 = 16; log2 <= 22; log2++)
		for (i = 0; i < ST_ARRAY_LEN(ps); i++) {
			if (stf1_ciphertext_size(ps[i], log2, &c) != STF1_OK)
				continue;
			CHECK(stf1_plaintext_size(c, log2, &back) == STF1_OK &&
			    back == ps[i]);
		}
	/* Sizes no plaintext produces. */
	for (c = 0; c < 112; c++)
		CHECK(stf1_plaintext_size(c, 20, &p) == STF1_ERR_SIZE);
	CHECK(stf1_plaintext_size(112, 20, &p) == STF1_OK && p == 0);
	CHECK(stf1_plaintext_size(113, 20, &p) == STF1_OK && p == 1);
	/* A full record plus 1..16 bytes: no final record can be that. */
	for (c = 1; c <= 16; c++)
		CHECK(stf1_plaintext_size(96 + MIB + 16 + c, 20, &p) ==
		    STF1_ERR_SIZE);
	CHECK(stf1_plaintext_size(96 + MIB + 16 + 17, 20, &p) == STF1_OK &&
	    p == MIB + 1);
	CHECK(stf1_plaintext_size(UINT64_MAX, 20, &p) == STF1_ERR_SIZE);
	CHECK(stf1_plaintext_size(UINT64_MAX, 16, &p) == STF1_ERR_SIZE);
	CHECK(stf1_plaintext_size(200, 24, &p) == STF1_ERR_RECORD_SIZE);
}

TEST(envelope_error_names)
{
	static const char *const names[] = { "magic", "version", "suite",
		"record_size", "flags", "reserved", "header_mac", "record_auth",
		"truncated", "trailing", "short_record", "counter", "size",
		"zero_shared_secret", "stanza_auth", "manifest_invalid",
		"manifest_auth", "signature", "params", "argument" };
	size_t i, j;

	CHECK(strcmp(stf1_err_name(STF1_OK), "ok") == 0);
	CHECK(strcmp(stf1_err_name(STF1_ERR_HEADER_MAC), "header_mac") == 0);
	CHECK(strcmp(stf1_err_name((enum stf1_err)999), "unknown") == 0);
	for (i = 0; i < ST_ARRAY_LEN(names); i++) {
		CHECK(stf1_err_from_name(names[i]) > 0);
		CHECK(strcmp(stf1_err_name(
		                 (enum stf1_err)stf1_err_from_name(names[i])),
		          names[i]) == 0);
	}
	for (i = 0; i < STF1_ERR_COUNT_; i++)
		for (j = i + 1; j < STF1_ERR_COUNT_; j++)
			CHECK(strcmp(stf1_err_name((enum stf1_err)i),
			          stf1_err_name((enum stf1_err)j)) != 0);
	CHECK(stf1_err_from_name("nope") == -1);
}

static void
test_file(struct stf1_file *f, unsigned log2)
{
	memset(f, 0, sizeof(*f));
	memset(f->msg_id, 0xa5, sizeof(f->msg_id));
	memset(f->salt, 0x3c, sizeof(f->salt));
	f->file_index = 0x01020304;
	f->record_size_log2 = log2;
}

TEST(envelope_header_fields_in_order)
{
	static const unsigned char k[32] = { 1, 2, 3 };
	unsigned char h[96], m[96];
	struct stf1_file f, g;

	test_file(&f, 20);
	REQUIRE(stf1_header_build(h, k, &f) == STF1_OK);
	CHECK(memcmp(h, "STF1\x01\x01\x14\x00", 8) == 0);
	CHECK(memcmp(h + 24, "\x01\x02\x03\x04", 4) == 0);
	CHECK(stf1_header_verify(h, 96, k, &g) == STF1_OK);
	CHECK(memcmp(&f, &g, sizeof(f)) == 0);
	CHECK(stf1_header_verify(h, 95, k, &g) == STF1_ERR_TRUNCATED);
#define MUT(off, val, want) \
	do { \
		memcpy(m, h, 96); \
		m[off] = (val); \
		CHECK(stf1_header_verify(m, 96, k, &g) == (want)); \
	} while (0)
	MUT(0, 'X', STF1_ERR_MAGIC);
	MUT(4, 2, STF1_ERR_VERSION);
	MUT(5, 2, STF1_ERR_SUITE);
	MUT(6, 15, STF1_ERR_RECORD_SIZE);
	MUT(6, 23, STF1_ERR_RECORD_SIZE);
	MUT(6, 16, STF1_ERR_HEADER_MAC);
	MUT(7, 1, STF1_ERR_FLAGS);
	MUT(60, 1, STF1_ERR_RESERVED);
	MUT(8, 0, STF1_ERR_HEADER_MAC);
	MUT(95, 0, STF1_ERR_HEADER_MAC);
	/* Earlier fields win: bad magic and bad flags is "magic". */
	memcpy(m, h, 96);
	m[0] = 0;
	m[7] = 1;
	CHECK(stf1_header_verify(m, 96, k, &g) == STF1_ERR_MAGIC);
	f.record_size_log2 = 23;
	CHECK(stf1_header_build(h, k, &f) == STF1_ERR_RECORD_SIZE);
}

TEST(envelope_nonce_layout)
{
	unsigned char n[12];

	stf1_nonce(n, 0x0102030405ULL, 1);
	CHECK(memcmp(n, "\0\0\0\0\0\0\x01\x02\x03\x04\x05\x01", 12) == 0);
	stf1_nonce(n, 0xffffffffULL, 0);
	CHECK(memcmp(n, "\0\0\0\0\0\0\0\xff\xff\xff\xff\0", 12) == 0);
}
