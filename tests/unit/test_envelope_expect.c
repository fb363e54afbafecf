/*
 * Tests for the reader's bindings in src/envelope/stf1_dec.c and stf1.c:
 * the expected msg_id and file_index (stf1_dec_expect,
 * stf1_dec_new_range_expect, stf1_header_verify_ids) and the empty final
 * record that only an empty file may have.
 */
#include "unit.h"

#include "../tools/stf1-testlib.h"

#define L16 16
#define R16 ((size_t)1 << L16)
#define REC16 (R16 + 16)

static const unsigned char key[32] = { 0x42, 0x13, 0x37 };

static void
file_at(struct stf1_file *f, unsigned char msg, uint32_t index)
{
	memset(f, 0, sizeof(*f));
	memset(f->msg_id, msg, sizeof(f->msg_id));
	memset(f->salt, 0x22, sizeof(f->salt));
	f->file_index = index;
	f->record_size_log2 = L16;
}

/*
 * Decrypts p in pieces of chunk bytes, expecting msg_id and index; the
 * plaintext released goes to s, and *file says whether the header was
 * accepted.
 */
static enum stf1_err
decrypt_expect(struct tl_sink *s, const unsigned char *p, size_t len,
    const unsigned char msg_id[16], uint32_t index, size_t chunk, int *file)
{
	struct stf1_dec *d = stf1_dec_new(key, tl_sink_write, s);
	enum stf1_err err = stf1_dec_expect(d, msg_id, index);
	size_t off = 0, n;

	while (off < len && err == STF1_OK) {
		n = len - off < chunk ? len - off : chunk;
		err = stf1_dec_update(d, p + off, n);
		off += n;
	}
	if (err == STF1_OK)
		err = stf1_dec_final(d);
	*file = stf1_dec_file(d) != NULL;
	stf1_dec_free(d);
	return err;
}

TEST(envelope_expect_binds_file_and_message)
{
	static const size_t chunks[] = { 7, 96, 97, REC16 + 1, 1 << 20 };
	struct tl_sink a = { 0 }, b = { 0 }, m = { 0 }, pt = { 0 };
	struct stf1_file fa, fb, fm;
	size_t i;
	int file;

	file_at(&fa, 0x11, 2);
	file_at(&fb, 0x11, 3);
	file_at(&fm, 0x33, 2);
	REQUIRE(tl_encrypt(&a, key, &fa, 2 * R16 + 5, 0, 1 << 20) == STF1_OK);
	REQUIRE(tl_encrypt(&b, key, &fb, 2 * R16 + 5, 0, 1 << 20) == STF1_OK);
	REQUIRE(tl_encrypt(&m, key, &fm, 2 * R16 + 5, 0, 1 << 20) == STF1_OK);
	/* Without expectations, another file of the message decrypts. */
	CHECK(tl_decrypt(&pt, key, b.data, b.len, 4096) == STF1_OK);
	for (i = 0; i < ST_ARRAY_LEN(chunks); i++) {
		pt.len = 0;
		CHECK(decrypt_expect(&pt, a.data, a.len, fa.msg_id, 2,
		          chunks[i], &file) == STF1_OK);
		CHECK(file && pt.len == 2 * R16 + 5 &&
		    tl_is_pattern(pt.data, pt.len));
		/* Another index of the same message. */
		pt.len = 0;
		CHECK(decrypt_expect(&pt, b.data, b.len, fa.msg_id, 2,
		          chunks[i], &file) == STF1_ERR_HEADER_MAC);
		CHECK(pt.len == 0 && !file);
		/* The same index of another message under the same K. */
		CHECK(decrypt_expect(&pt, m.data, m.len, fa.msg_id, 2,
		          chunks[i], &file) == STF1_ERR_HEADER_MAC);
		CHECK(pt.len == 0 && !file);
		/* The right file, but the caller expects another. */
		CHECK(decrypt_expect(&pt, a.data, a.len, fa.msg_id, 3,
		          chunks[i], &file) == STF1_ERR_HEADER_MAC);
		CHECK(decrypt_expect(&pt, a.data, a.len, fm.msg_id, 2,
		          chunks[i], &file) == STF1_ERR_HEADER_MAC);
		CHECK(pt.len == 0 && !file);
	}
	/* Structural errors keep their names, before the ids. */
	b.data[0] ^= 1;
	CHECK(decrypt_expect(&pt, b.data, b.len, fa.msg_id, 2, 4096, &file) ==
	    STF1_ERR_MAGIC);
	CHECK(decrypt_expect(&pt, a.data, 95, fa.msg_id, 2, 4096, &file) ==
	    STF1_ERR_TRUNCATED);
	CHECK(pt.len == 0);
	tl_sink_free(&a);
	tl_sink_free(&b);
	tl_sink_free(&m);
	tl_sink_free(&pt);
}

TEST(envelope_expect_only_before_data)
{
	struct tl_sink ct = { 0 }, pt = { 0 };
	struct stf1_file f;
	struct stf1_dec *d;

	file_at(&f, 0x11, 2);
	REQUIRE(tl_encrypt(&ct, key, &f, 100, 0, 100) == STF1_OK);
	d = stf1_dec_new(key, tl_sink_write, &pt);
	CHECK(stf1_dec_update(d, ct.data, 1) == STF1_OK);
	CHECK(stf1_dec_expect(d, f.msg_id, 3) == STF1_ERR_ARGUMENT);
	/* Refused means unchanged: the stream still reads as unbound. */
	CHECK(stf1_dec_update(d, ct.data + 1, ct.len - 1) == STF1_OK);
	CHECK(stf1_dec_final(d) == STF1_OK && pt.len == 100);
	stf1_dec_free(d);
	/* Calling it twice before data: the last call counts. */
	pt.len = 0;
	d = stf1_dec_new(key, tl_sink_write, &pt);
	CHECK(stf1_dec_expect(d, f.msg_id, 3) == STF1_OK);
	CHECK(stf1_dec_expect(d, f.msg_id, 2) == STF1_OK);
	CHECK(stf1_dec_update(d, ct.data, ct.len) == STF1_OK);
	CHECK(stf1_dec_final(d) == STF1_OK && pt.len == 100);
	CHECK(stf1_dec_file(d)->file_index == 2);
	stf1_dec_free(d);
	tl_sink_free(&ct);
	tl_sink_free(&pt);
}

TEST(envelope_expect_range_and_header)
{
	struct tl_sink a = { 0 }, b = { 0 }, pt = { 0 };
	struct stf1_file fa, fb, g;
	struct stf1_dec *d;
	enum stf1_err err;

	file_at(&fa, 0x11, 2);
	file_at(&fb, 0x11, 3);
	REQUIRE(tl_encrypt(&a, key, &fa, 2 * R16 + 5, 0, 1 << 20) == STF1_OK);
	REQUIRE(tl_encrypt(&b, key, &fb, 2 * R16 + 5, 0, 1 << 20) == STF1_OK);
	CHECK(stf1_header_verify_ids(a.data, 96, key, fa.msg_id, 2, &g) ==
	    STF1_OK);
	CHECK(g.file_index == 2 && memcmp(g.msg_id, fa.msg_id, 16) == 0);
	CHECK(stf1_header_verify_ids(b.data, 96, key, fa.msg_id, 2, &g) ==
	    STF1_ERR_HEADER_MAC);
	CHECK(stf1_header_verify_ids(a.data, 95, key, fa.msg_id, 2, &g) ==
	    STF1_ERR_TRUNCATED);
	/* Range reads: another file's header is refused up front. */
	d = stf1_dec_new_range_expect(
	    key, b.data, 1, fa.msg_id, 2, tl_sink_write, &pt, &err);
	CHECK(d == NULL && err == STF1_ERR_HEADER_MAC);
	d = stf1_dec_new_range_expect(
	    key, a.data, 1, fa.msg_id, 2, tl_sink_write, &pt, &err);
	REQUIRE(d != NULL);
	CHECK(stf1_dec_update(d, a.data + 96 + REC16, a.len - 96 - REC16) ==
	    STF1_OK);
	CHECK(stf1_dec_final(d) == STF1_OK && pt.len == R16 + 5);
	stf1_dec_free(d);
	CHECK(stf1_dec_new_range_expect(key, a.data, STF1_MAX_RECORDS,
	          fa.msg_id, 2, tl_sink_write, &pt, &err) == NULL &&
	    err == STF1_ERR_COUNTER);
	tl_sink_free(&a);
	tl_sink_free(&b);
	tl_sink_free(&pt);
}

/* A full non-final record 0 and an authentic empty final record 1. */
static void
empty_after_full(struct tl_sink *ct, const struct stf1_file *f)
{
	unsigned char fk[32], nonce[12], tag[16], none[1] = { 0 };

	REQUIRE(tl_encrypt(ct, key, f, R16 + 1, 0, 1 << 20) == STF1_OK);
	ct->len = 96 + REC16;
	REQUIRE(kdf_file_keys(
	            fk, NULL, key, f->msg_id, f->file_index, f->salt) == 0);
	stf1_nonce(nonce, 1, 1);
	REQUIRE(aead_seal(tag, fk, nonce, ct->data, 96, none, 0) == 0);
	tl_sink_write(ct, tag, sizeof(tag));
}

TEST(envelope_empty_final_record_only_for_empty_file)
{
	static const size_t chunks[] = { 1, 7, 16, REC16, REC16 + 1, 1 << 20 };
	struct tl_sink ct = { 0 }, pt = { 0 };
	struct stf1_file f;
	struct stf1_dec *d;
	enum stf1_err err;
	size_t i;

	file_at(&f, 0x11, 2);
	empty_after_full(&ct, &f);
	REQUIRE(ct.len == 96 + REC16 + 16);
	for (i = 0; i < ST_ARRAY_LEN(chunks); i++) {
		pt.len = 0;
		CHECK(tl_decrypt(&pt, key, ct.data, ct.len, chunks[i]) ==
		    STF1_ERR_SHORT_RECORD);
		/* Record 0 was whole and verified; the empty one adds nothing. */
		CHECK(pt.len == R16 && tl_is_pattern(pt.data, pt.len));
	}
	/* The same from a range, at the end of the object and stopped. */
	pt.len = 0;
	d = stf1_dec_new_range(key, ct.data, 1, tl_sink_write, &pt, &err);
	REQUIRE(d != NULL);
	CHECK(stf1_dec_update(d, ct.data + 96 + REC16, 16) == STF1_OK);
	CHECK(stf1_dec_final(d) == STF1_ERR_SHORT_RECORD);
	CHECK(stf1_dec_released(d) == 0 && pt.len == 0);
	stf1_dec_free(d);
	d = stf1_dec_new_range(key, ct.data, 1, tl_sink_write, &pt, &err);
	REQUIRE(d != NULL);
	CHECK(stf1_dec_update(d, ct.data + 96 + REC16, 16) == STF1_OK);
	CHECK(stf1_dec_stop(d) == STF1_ERR_SHORT_RECORD && pt.len == 0);
	stf1_dec_free(d);
	/* An empty file's one empty final record still reads. */
	ct.len = 0;
	REQUIRE(tl_encrypt(&ct, key, &f, 0, 0, 1) == STF1_OK);
	CHECK(ct.len == 96 + 16);
	CHECK(tl_decrypt(&pt, key, ct.data, ct.len, 7) == STF1_OK);
	tl_sink_free(&ct);
	tl_sink_free(&pt);
}
