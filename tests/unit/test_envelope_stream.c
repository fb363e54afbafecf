/* Tests for src/envelope/stf1_enc.c and stf1_dec.c: streaming, resume, ranges, failures. */
#include "unit.h"

#include "../tools/stf1-testlib.h"

#define L16 16
#define R16 ((size_t)1 << L16)
#define REC16 (R16 + 16)

static const unsigned char key[32] = { 0x42, 0x13, 0x37 };

static void
file16(struct stf1_file *f)
{
	memset(f, 0, sizeof(*f));
	memset(f->msg_id, 0x11, sizeof(f->msg_id));
	memset(f->salt, 0x22, sizeof(f->salt));
	f->file_index = 2;
	f->record_size_log2 = L16;
}

TEST(envelope_roundtrip_any_chunk_size)
{
	static const size_t sizes[] = { 0, 1, R16 - 1, R16, R16 + 1,
		3 * R16 + 17 };
	static const size_t chunks[] = { 1, 7, R16 - 1, R16, R16 + 1, REC16,
		REC16 + 1, 1 << 20 };
	struct tl_sink ref = { 0 }, ct = { 0 }, pt = { 0 };
	struct stf1_file f;
	uint64_t want;
	size_t i, j;

	file16(&f);
	for (i = 0; i < ST_ARRAY_LEN(sizes); i++) {
		REQUIRE(
		    tl_encrypt(&ref, key, &f, sizes[i], 0, 4096) == STF1_OK);
		REQUIRE(stf1_ciphertext_size(sizes[i], L16, &want) == STF1_OK);
		CHECK(ref.len == want);
		for (j = 0; j < ST_ARRAY_LEN(chunks); j++) {
			ct.len = pt.len = 0;
			CHECK(tl_encrypt(&ct, key, &f, sizes[i], 0,
			          chunks[j]) == STF1_OK);
			CHECK(ct.len == ref.len &&
			    memcmp(ct.data, ref.data, ct.len) == 0);
			CHECK(tl_decrypt(&pt, key, ref.data, ref.len,
			          chunks[j]) == STF1_OK);
			CHECK(pt.len == sizes[i] &&
			    tl_is_pattern(pt.data, pt.len));
		}
		ref.len = 0;
	}
	tl_sink_free(&ref);
	tl_sink_free(&ct);
	tl_sink_free(&pt);
}

TEST(envelope_start_at_record_is_tail_of_full)
{
	struct tl_sink full = { 0 }, part = { 0 };
	struct stf1_file f;
	struct stf1_enc *e;
	enum stf1_err err;
	unsigned char h1[96], h2[96];
	uint64_t size = 3 * R16 + 17, s;

	file16(&f);
	REQUIRE(tl_encrypt(&full, key, &f, size, 0, 5000) == STF1_OK);
	for (s = 0; s < 4; s++) {
		part.len = 0;
		CHECK(tl_encrypt(&part, key, &f, size, s, 333) == STF1_OK);
		CHECK(part.len == full.len - (s ? 96 + s * REC16 : 0));
		CHECK(memcmp(part.data, full.data + full.len - part.len,
		          part.len) == 0);
	}
	/* The header is the same, whichever record the encryptor starts at. */
	e = stf1_enc_new(key, &f, size, 3, tl_sink_write, &part, &err);
	REQUIRE(e != NULL);
	stf1_enc_header(e, h1);
	stf1_enc_free(e);
	REQUIRE(stf1_header_build(h2, key, &f) == STF1_OK);
	CHECK(memcmp(h1, h2, 96) == 0 && memcmp(h1, full.data, 96) == 0);
	CHECK(stf1_enc_new(key, &f, size, 4, tl_sink_write, &part, &err) ==
	        NULL &&
	    err == STF1_ERR_ARGUMENT);
	CHECK(stf1_enc_new(key, &f, 0, 1, tl_sink_write, &part, &err) == NULL &&
	    err == STF1_ERR_ARGUMENT);
	tl_sink_free(&full);
	tl_sink_free(&part);
}

/* Decrypts records [s, e) of ct (e == 4: to the end, with EOF). */
static enum stf1_err
range(struct tl_sink *pt, const struct tl_sink *ct, uint64_t s, uint64_t e,
    size_t chunk)
{
	size_t off = 96 + s * REC16, end, n;
	enum stf1_err err;
	struct stf1_dec *d;

	end = e == 4 ? ct->len : 96 + e * REC16;
	d = stf1_dec_new_range(key, ct->data, s, tl_sink_write, pt, &err);
	if (d == NULL)
		return err;
	for (; off < end && err == STF1_OK; off += n) {
		n = end - off < chunk ? end - off : chunk;
		err = stf1_dec_update(d, ct->data + off, n);
	}
	if (err == STF1_OK)
		err = e == 4 ? stf1_dec_final(d) : stf1_dec_stop(d);
	stf1_dec_free(d);
	return err;
}

TEST(envelope_range_decryption)
{
	struct tl_sink ct = { 0 }, pt = { 0 };
	struct stf1_file f;
	unsigned char want[4 * R16];
	uint64_t s, e;

	file16(&f);
	tl_pattern(want, 0, sizeof(want));
	REQUIRE(tl_encrypt(&ct, key, &f, 3 * R16 + 17, 0, 1 << 20) == STF1_OK);
	for (s = 0; s < 4; s++)
		for (e = s + 1; e <= 4; e++) {
			pt.len = 0;
			CHECK(range(&pt, &ct, s, e, 1000) == STF1_OK);
			CHECK(pt.len ==
			    (e == 4 ? (3 - s) * R16 + 17 : (e - s) * R16));
			CHECK(memcmp(pt.data, want + s * R16, pt.len) == 0);
		}
	/* Stopping at the end of the object also works. */
	pt.len = 0;
	CHECK(range(&pt, &ct, 3, 3, 1000) == STF1_OK && pt.len == 0);
	/* A header that does not verify. */
	ct.data[70] ^= 1;
	CHECK(range(&pt, &ct, 1, 2, 1000) == STF1_ERR_HEADER_MAC);
	tl_sink_free(&ct);
	tl_sink_free(&pt);
}

TEST(envelope_counter_limit)
{
	struct tl_sink pt = { 0 };
	struct stf1_file f;
	struct stf1_dec *d;
	struct stf1_enc *e;
	enum stf1_err err;
	unsigned char hdr[96], fk[32], nonce[12], *rec;
	uint64_t last = STF1_MAX_RECORDS - 1;

	file16(&f);
	REQUIRE(stf1_header_build(hdr, key, &f) == STF1_OK);
	CHECK(stf1_dec_new_range(key, hdr, STF1_MAX_RECORDS, tl_sink_write, &pt,
	          &err) == NULL &&
	    err == STF1_ERR_COUNTER);
	/* 2^32 records is the most a file can have. */
	e = stf1_enc_new(
	    key, &f, STF1_MAX_RECORDS * R16, last, tl_sink_write, &pt, &err);
	CHECK(e != NULL);
	stf1_enc_free(e);
	CHECK(stf1_enc_new(key, &f, STF1_MAX_RECORDS * R16 + 1, 0,
	          tl_sink_write, &pt, &err) == NULL &&
	    err == STF1_ERR_SIZE);
	/* A (forged) non-final record 2^32 - 1: the next one is refused. */
	rec = xcalloc(1, REC16 + 17);
	REQUIRE(kdf_file_keys(fk, NULL, key, f.msg_id, 2, f.salt) == 0);
	stf1_nonce(nonce, last, 0);
	REQUIRE(aead_seal(rec, fk, nonce, hdr, 96, rec, R16) == 0);
	d = stf1_dec_new_range(key, hdr, last, tl_sink_write, &pt, &err);
	REQUIRE(d != NULL);
	CHECK(stf1_dec_update(d, rec, REC16 + 17) == STF1_OK);
	CHECK(pt.len == R16);
	CHECK(stf1_dec_final(d) == STF1_ERR_COUNTER);
	CHECK(pt.len == R16);
	stf1_dec_free(d);
	free(rec);
	tl_sink_free(&pt);
}

TEST(envelope_bad_record_releases_nothing)
{
	struct tl_sink ct = { 0 }, pt = { 0 };
	struct stf1_file f;
	struct stf1_dec *d;
	size_t bad;

	file16(&f);
	REQUIRE(tl_encrypt(&ct, key, &f, 3 * R16 + 17, 0, 1 << 20) == STF1_OK);
	for (bad = 0; bad < 4; bad++) {
		/* Flip the last tag byte of record bad. */
		size_t off = 96 + bad * REC16 + (bad == 3 ? 33 : REC16) - 1;
		ct.data[off] ^= 0x40;
		pt.len = 0;
		CHECK(tl_decrypt(&pt, key, ct.data, ct.len, 777) ==
		    STF1_ERR_RECORD_AUTH);
		CHECK(pt.len == bad * R16 && tl_is_pattern(pt.data, pt.len));
		ct.data[off] ^= 0x40;
	}
	/* Errors are sticky: nothing more comes out. */
	ct.data[96 + 5] ^= 1;
	pt.len = 0;
	d = stf1_dec_new(key, tl_sink_write, &pt);
	CHECK(stf1_dec_update(d, ct.data, ct.len) == STF1_ERR_RECORD_AUTH);
	CHECK(stf1_dec_update(d, ct.data, 10) == STF1_ERR_RECORD_AUTH);
	CHECK(stf1_dec_final(d) == STF1_ERR_RECORD_AUTH);
	CHECK(pt.len == 0 && stf1_dec_released(d) == 0);
	CHECK(stf1_dec_file(d) != NULL);
	stf1_dec_free(d);
	tl_sink_free(&ct);
	tl_sink_free(&pt);
}

TEST(envelope_truncation_trailing_short)
{
	struct tl_sink ct = { 0 }, pt = { 0 }, big = { 0 };
	struct stf1_file f;
	unsigned char extra[20] = { 0 };

	file16(&f);
	REQUIRE(tl_encrypt(&ct, key, &f, 2 * R16, 0, 1 << 20) == STF1_OK);
	/* Dropping the final (full) record: the rest verifies as non-final. */
	CHECK(tl_decrypt(&pt, key, ct.data, 96 + REC16, 100) ==
	    STF1_ERR_TRUNCATED);
	CHECK(pt.len == 0);
	CHECK(tl_decrypt(&pt, key, ct.data, 96 + REC16 + 5, 100) ==
	    STF1_ERR_TRUNCATED);
	CHECK(pt.len == R16);
	/* Bytes after a full final record. */
	pt.len = 0;
	tl_sink_write(&big, ct.data, ct.len);
	tl_sink_write(&big, extra, 1);
	CHECK(
	    tl_decrypt(&pt, key, big.data, big.len, 4096) == STF1_ERR_TRAILING);
	CHECK(pt.len == R16);
	/* More data after a verified final record. */
	{
		struct stf1_dec *d = stf1_dec_new(key, tl_sink_write, &pt);
		CHECK(stf1_dec_update(d, ct.data, ct.len) == STF1_OK);
		CHECK(stf1_dec_final(d) == STF1_OK);
		CHECK(stf1_dec_update(d, extra, 1) == STF1_ERR_ARGUMENT);
		stf1_dec_free(d);
	}
	tl_sink_free(&ct);
	tl_sink_free(&pt);
	tl_sink_free(&big);
}

TEST(envelope_encryptor_misuse)
{
	struct tl_sink ct = { 0 };
	struct stf1_file f;
	struct stf1_enc *e;
	enum stf1_err err;
	unsigned char buf[10] = { 0 };

	file16(&f);
	e = stf1_enc_new(key, &f, 5, 0, tl_sink_write, &ct, &err);
	REQUIRE(e != NULL);
	CHECK(stf1_enc_update(e, buf, 6) == STF1_ERR_SIZE);
	CHECK(stf1_enc_final(e) == STF1_ERR_SIZE);
	stf1_enc_free(e);
	e = stf1_enc_new(key, &f, 5, 0, tl_sink_write, &ct, &err);
	CHECK(stf1_enc_update(e, buf, 4) == STF1_OK);
	CHECK(stf1_enc_final(e) == STF1_ERR_SIZE);
	stf1_enc_free(e);
	e = stf1_enc_new(key, &f, 0, 0, tl_sink_write, &ct, &err);
	CHECK(stf1_enc_update(e, buf, 1) == STF1_ERR_SIZE);
	stf1_enc_free(e);
	e = stf1_enc_new(key, &f, 0, 0, tl_sink_write, &ct, &err);
	CHECK(stf1_enc_final(e) == STF1_OK);
	CHECK(stf1_enc_final(e) == STF1_ERR_ARGUMENT);
	stf1_enc_free(e);
	f.record_size_log2 = 15;
	CHECK(stf1_enc_new(key, &f, 0, 0, tl_sink_write, &ct, &err) == NULL &&
	    err == STF1_ERR_RECORD_SIZE);
	stf1_enc_free(NULL);
	stf1_dec_free(NULL);
	tl_sink_free(&ct);
}

static int
refuse(void *arg, const unsigned char *p, size_t len)
{
	ST_UNUSED(arg);
	ST_UNUSED(p);
	ST_UNUSED(len);
	return -1;
}

TEST(envelope_write_failure_is_io)
{
	struct tl_sink ct = { 0 };
	struct stf1_file f;
	struct stf1_enc *e;
	struct stf1_dec *d;
	enum stf1_err err;
	unsigned char buf[100] = { 0 };

	file16(&f);
	e = stf1_enc_new(key, &f, 100, 0, refuse, NULL, &err);
	CHECK(stf1_enc_update(e, buf, 100) == STF1_ERR_IO);
	stf1_enc_free(e);
	REQUIRE(tl_encrypt(&ct, key, &f, 100, 0, 100) == STF1_OK);
	d = stf1_dec_new(key, refuse, NULL);
	CHECK(stf1_dec_update(d, ct.data, ct.len) == STF1_OK);
	CHECK(stf1_dec_final(d) == STF1_ERR_IO);
	stf1_dec_free(d);
	tl_sink_free(&ct);
}
