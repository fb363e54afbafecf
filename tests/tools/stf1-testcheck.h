/*
 * Mutations of negative vectors and the checks of each vector file; part
 * of stf1-testlib.h (see there). A check returns 0 or -1 and names the
 * first difference in why.
 */
#ifndef ST_STF1_TESTCHECK_H
#define ST_STF1_TESTCHECK_H

struct tl_report {
	unsigned passed, failed;
	FILE *log; /* one line per failure; NULL: quiet */
};

TL_UNUSED static void
tl_note(struct tl_report *r, const char *file, const char *name, int ok,
    const char *why)
{
	if (ok) {
		r->passed++;
		return;
	}
	r->failed++;
	if (r->log != NULL)
		fprintf(r->log, "FAIL %s %s: %s\n", file, name, why);
}

static const char *
tl_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static uint64_t
tl_u64(const json_t *o, const char *key)
{
	json_int_t v = json_integer_value(json_object_get(o, key));

	return v < 0 ? 0 : (uint64_t)v;
}

/* Hex field key of o equals p[0..len). */
static int
tl_hex_eq(const json_t *o, const char *key, const unsigned char *p, size_t len)
{
	char *h = tl_hex(p, len);
	const char *want = tl_str(o, key);
	int same = want != NULL && strcmp(h, want) == 0;

	free(h);
	return same;
}

/* The inputs of a positive vector. */
static int
tl_inputs(
    const json_t *v, unsigned char k[32], struct stf1_file *f, uint64_t *size)
{
	memset(f, 0, sizeof(*f));
	if (tl_unhex(k, 32, tl_str(v, "K")) != 0 ||
	    tl_unhex(f->msg_id, 16, tl_str(v, "msg_id")) != 0 ||
	    tl_unhex(f->salt, 32, tl_str(v, "salt")) != 0)
		return -1;
	f->file_index = (uint32_t)tl_u64(v, "file_index");
	f->record_size_log2 = (unsigned)tl_u64(v, "record_size_log2");
	*size = tl_u64(v, "plaintext_length");
	return 0;
}

static const json_t *
tl_find(const json_t *list, const char *name)
{
	const json_t *v;
	size_t i;

	json_array_foreach(list, i, v) if (tl_str(v, "name") != NULL &&
	    strcmp(tl_str(v, "name"), name) == 0) return v;
	return NULL;
}

/* The full ciphertext of positive vector v into s. */
TL_UNUSED static int
tl_make(struct tl_sink *s, const json_t *v)
{
	unsigned char k[32];
	struct stf1_file f;
	uint64_t size;

	if (v == NULL || tl_inputs(v, k, &f, &size) != 0)
		return -1;
	return tl_encrypt(s, k, &f, size, 0, 65536) == STF1_OK ? 0 : -1;
}

static int
tl_check_positive(const json_t *v, char *why, size_t whylen)
{
	unsigned char k[32], hdr[STF1_HEADER_LEN], fk[32], hk[32], md[32];
	struct tl_sink ct = { 0 }, pt = { 0 }, pt2 = { 0 };
	struct stf1_file f;
	uint64_t size, csize;
	const char *bad = NULL;

	if (tl_inputs(v, k, &f, &size) != 0)
		bad = "inputs";
	else if (kdf_file_keys(fk, hk, k, f.msg_id, f.file_index, f.salt) !=
	        0 ||
	    !tl_hex_eq(v, "fk", fk, 32) || !tl_hex_eq(v, "hk", hk, 32))
		bad = "fk/hk";
	else if (stf1_header_build(hdr, k, &f) != STF1_OK ||
	    !tl_hex_eq(v, "header", hdr, sizeof(hdr)))
		bad = "header";
	else if (tl_encrypt(&ct, k, &f, size, 0, 65536 + 3) != STF1_OK ||
	    stf1_ciphertext_size(size, f.record_size_log2, &csize) != STF1_OK ||
	    ct.len != csize || csize != tl_u64(v, "ciphertext_size"))
		bad = "ciphertext_size";
	else if (tl_sha256(md, ct.data, ct.len),
	    !tl_hex_eq(v, "ciphertext_sha256", md, 32))
		bad = "ciphertext_sha256";
	else if (!tl_hex_eq(v, "first_bytes", ct.data,
	             ct.len < TL_FIRST ? ct.len : TL_FIRST) ||
	    !tl_hex_eq(v, "last_bytes",
	        ct.data + ct.len - (ct.len < TL_LAST ? ct.len : TL_LAST),
	        ct.len < TL_LAST ? ct.len : TL_LAST))
		bad = "first_bytes/last_bytes";
	else if (tl_decrypt(&pt, k, ct.data, ct.len, ct.len) != STF1_OK ||
	    pt.len != size || !tl_is_pattern(pt.data, pt.len) ||
	    tl_decrypt(&pt2, k, ct.data, ct.len, 4093) != STF1_OK ||
	    pt2.len != size || !tl_is_pattern(pt2.data, pt2.len))
		bad = "decrypt";
	tl_sink_free(&ct);
	tl_sink_free(&pt);
	tl_sink_free(&pt2);
	if (bad != NULL)
		snprintf(why, whylen, "%s differs", bad);
	return bad == NULL ? 0 : -1;
}

/* Record i's offset and length in a ciphertext of len bytes. */
static int
tl_record(size_t len, unsigned log2, uint64_t i, size_t *off, size_t *n)
{
	size_t rlen = ((size_t)1 << log2) + STF1_TAG_LEN;

	if (i > (len - STF1_HEADER_LEN) / rlen)
		return -1;
	*off = STF1_HEADER_LEN + (size_t)i * rlen;
	*n = len - *off < rlen ? len - *off : rlen;
	return *n > 0 ? 0 : -1;
}

/* Replaces records i.. with a resealed first n bytes of record i. */
static int
tl_reseal(
    struct tl_sink *ct, const json_t *base, uint64_t i, size_t n, int last)
{
	unsigned char k[32], fk[32], nonce[STF1_NONCE_LEN], *buf;
	struct stf1_file f;
	uint64_t size;
	size_t off, rn;
	int rc;

	if (tl_inputs(base, k, &f, &size) != 0 ||
	    tl_record(ct->len, f.record_size_log2, i, &off, &rn) != 0 ||
	    n > ((size_t)1 << f.record_size_log2) ||
	    kdf_file_keys(fk, NULL, k, f.msg_id, f.file_index, f.salt) != 0)
		return -1;
	buf = xmalloc(2 * n + STF1_TAG_LEN);
	tl_pattern(buf, i << f.record_size_log2, n);
	stf1_nonce(nonce, i, last);
	rc = aead_seal(buf + n, fk, nonce, ct->data, STF1_HEADER_LEN, buf, n);
	ct->len = off;
	if (rc == 0)
		tl_sink_write(ct, buf + n, n + STF1_TAG_LEN);
	free(buf);
	return rc;
}

/*
 * Applies mutation m to ct (the base vector's ciphertext); k starts as the
 * base's key and is replaced by wrong_key.
 */
static int
tl_mutate(struct tl_sink *ct, unsigned char k[32], const json_t *m,
    const json_t *base, const json_t *positives)
{
	const char *kind = tl_str(m, "kind");
	unsigned log2 = (unsigned)tl_u64(base, "record_size_log2");
	struct tl_sink other = { 0 };
	size_t oa, na, ob, nb, n;
	unsigned char *tmp;
	uint64_t off;

	if (kind == NULL)
		return -1;
	if (strcmp(kind, "flip") == 0) {
		if ((off = tl_u64(m, "offset")) >= ct->len)
			return -1;
		ct->data[off] ^= (unsigned char)tl_u64(m, "mask");
		return 0;
	}
	if (strcmp(kind, "truncate") == 0) {
		if ((off = tl_u64(m, "length")) > ct->len)
			return -1;
		ct->len = (size_t)off;
		return 0;
	}
	if (strcmp(kind, "append") == 0) {
		n = strlen(tl_str(m, "hex") ? tl_str(m, "hex") : "x") / 2;
		tmp = xmalloc(n + 1);
		if (tl_unhex(tmp, n, tl_str(m, "hex")) != 0) {
			free(tmp);
			return -1;
		}
		tl_sink_write(ct, tmp, n);
		free(tmp);
		return 0;
	}
	if (strcmp(kind, "swap_records") == 0) {
		if (tl_record(ct->len, log2, tl_u64(m, "a"), &oa, &na) != 0 ||
		    tl_record(ct->len, log2, tl_u64(m, "b"), &ob, &nb) != 0 ||
		    na != nb)
			return -1;
		tmp = xmalloc(na);
		memcpy(tmp, ct->data + oa, na);
		memcpy(ct->data + oa, ct->data + ob, na);
		memcpy(ct->data + ob, tmp, na);
		free(tmp);
		return 0;
	}
	if (strcmp(kind, "replace_header_from") == 0) {
		if (tl_make(&other, tl_find(positives, tl_str(m, "vector"))) !=
		        0 ||
		    ct->len < STF1_HEADER_LEN) {
			tl_sink_free(&other);
			return -1;
		}
		memcpy(ct->data, other.data, STF1_HEADER_LEN);
		tl_sink_free(&other);
		return 0;
	}
	if (strcmp(kind, "reseal_record") == 0)
		return tl_reseal(ct, base, tl_u64(m, "record"),
		    (size_t)tl_u64(m, "length"), (int)tl_u64(m, "last"));
	if (strcmp(kind, "wrong_key") == 0)
		return tl_unhex(k, 32, tl_str(m, "key"));
	return -1;
}

/*
 * Builds the mutated ciphertext of negative vector v and decrypts it whole
 * and in 7-byte pieces; both must agree. Returns 0 with the error, the
 * plaintext bytes released and the SHA-256 of the mutated bytes.
 */
TL_UNUSED static int
tl_run_negative(const json_t *v, const json_t *positives, enum stf1_err *err,
    uint64_t *released, unsigned char md[32])
{
	const json_t *base = tl_find(positives, tl_str(v, "base"));
	struct tl_sink ct = { 0 }, pt = { 0 }, pt7 = { 0 };
	unsigned char k[32];
	struct stf1_file f;
	uint64_t size;
	enum stf1_err e7;
	int rc = -1;

	if (base == NULL || tl_inputs(base, k, &f, &size) != 0 ||
	    tl_make(&ct, base) != 0 ||
	    tl_mutate(
	        &ct, k, json_object_get(v, "mutation"), base, positives) != 0)
		goto out;
	tl_sha256(md, ct.data, ct.len);
	*err = tl_decrypt(&pt, k, ct.data, ct.len, ct.len ? ct.len : 1);
	e7 = tl_decrypt(&pt7, k, ct.data, ct.len, 7);
	*released = pt.len;
	if (e7 == *err && pt7.len == pt.len && tl_is_pattern(pt.data, pt.len))
		rc = 0;
out:
	tl_sink_free(&ct);
	tl_sink_free(&pt);
	tl_sink_free(&pt7);
	return rc;
}

static int
tl_check_negative(
    const json_t *v, const json_t *positives, char *why, size_t whylen)
{
	enum stf1_err err;
	uint64_t released;
	unsigned char md[32];

	if (tl_run_negative(v, positives, &err, &released, md) != 0) {
		snprintf(why, whylen, "bad vector or chunking changed result");
		return -1;
	}
	if (!tl_hex_eq(v, "mutated_sha256", md, 32)) {
		snprintf(why, whylen, "mutated_sha256 differs");
		return -1;
	}
	if (tl_str(v, "expect") == NULL ||
	    strcmp(stf1_err_name(err), tl_str(v, "expect")) != 0 ||
	    released != tl_u64(v, "released")) {
		snprintf(why, whylen, "got %s after %" PRIu64 " bytes",
		    stf1_err_name(err), released);
		return -1;
	}
	return 0;
}

#include "stf1-testkeys.h"

#endif
