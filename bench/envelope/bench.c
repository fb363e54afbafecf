/*
 * Envelope throughput: encrypts and decrypts SIZE bytes (default 1 GiB) in
 * memory on one core through the streaming API (stf1_enc / stf1_dec), fed
 * in CHUNK-byte pieces (default 4 MiB). Two consumers: one that streams
 * the output on (discards it: what the envelope itself costs) and one that
 * copies it into a second 1 GiB buffer (memory-bound end to end). Each
 * runs REPEAT times (default 3) and the best run counts, since the machine
 * may be shared. Prints "<operation> <MiB/s>" lines.
 *	bench [SIZE_MIB [CHUNK_KIB [REPEAT]]]
 */
#include "util/common.h"

#include <time.h>

#include "envelope/stf1_dec.h"
#include "envelope/stf1_enc.h"
#include "util/num.h"

#include <openssl/evp.h>

struct dst {
	unsigned char *p; /* NULL: discard (a consumer that streams on) */
	size_t len;
};

static int
put(void *arg, const unsigned char *p, size_t len)
{
	struct dst *d = arg;

	if (d->p != NULL)
		memcpy(d->p + d->len, p, len);
	d->len += len;
	return 0;
}

/*
 * CPU time of this process (user + system), not wall time: `openssl speed`
 * divides by its CPU user time (unless -elapsed), and on a shared machine
 * wall time also counts the time other processes had the core.
 */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const unsigned char key[32] = { 1, 2, 3, 4 };

/* Encrypts pt into ct (copy) or nowhere (discard); seconds, or -1. */
static double
encrypt(const unsigned char *pt, size_t size, size_t chunk, struct dst *ct)
{
	struct stf1_file f = { .record_size_log2 = STF1_LOG2_DEFAULT };
	enum stf1_err err;
	struct stf1_enc *e;
	double t0 = now();
	size_t off, n;

	ct->len = 0;
	if ((e = stf1_enc_new(key, &f, size, 0, put, ct, &err)) == NULL)
		return -1;
	for (off = 0; off < size && err == STF1_OK; off += n) {
		n = size - off < chunk ? size - off : chunk;
		err = stf1_enc_update(e, pt + off, n);
	}
	if (err == STF1_OK)
		err = stf1_enc_final(e);
	stf1_enc_free(e);
	return err == STF1_OK ? now() - t0 : -1;
}

static double
decrypt(const unsigned char *ct, size_t len, size_t chunk, struct dst *out)
{
	enum stf1_err err = STF1_OK;
	struct stf1_dec *d = stf1_dec_new(key, put, out);
	double t0 = now();
	size_t off, n;

	out->len = 0;
	for (off = 0; off < len && err == STF1_OK; off += n) {
		n = len - off < chunk ? len - off : chunk;
		err = stf1_dec_update(d, ct + off, n);
	}
	if (err == STF1_OK)
		err = stf1_dec_final(d);
	stf1_dec_free(d);
	return err == STF1_OK ? now() - t0 : -1;
}

/*
 * The reference over the same bytes: plain AES-256-GCM through EVP on
 * 1 MiB records with a 16-byte tag each, from and to memory like the
 * envelope (openssl speed works on one 1 MiB buffer that stays in the
 * cache; this streams the whole SIZE through memory as the envelope does).
 * Encrypts pt (size bytes) into raw, or decrypts raw back record by record
 * into a 1 MiB buffer (the streaming consumer's case); seconds, or -1.
 */
static double
raw_gcm(int enc, unsigned char *pt, size_t size, unsigned char *raw)
{
	const size_t R = (size_t)1 << STF1_LOG2_DEFAULT;
	unsigned char nonce[12] = { 0 }, *buf = xmalloc(R);
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	double t0 = now();
	size_t off, n, i = 0;
	int outl,
	    ok = c != NULL &&
	    EVP_CipherInit_ex(c, EVP_aes_256_gcm(), NULL, key, NULL, enc) == 1;

	for (off = 0; ok && off < size; off += n, i++) {
		unsigned char *rec = raw + off + i * 16;

		n = size - off < R ? size - off : R;
		memcpy(nonce, &i, sizeof(i));
		ok = EVP_CipherInit_ex(c, NULL, NULL, NULL, nonce, enc) == 1;
		if (ok && enc)
			ok = EVP_EncryptUpdate(
			         c, rec, &outl, pt + off, (int)n) == 1 &&
			    EVP_EncryptFinal_ex(c, rec + n, &outl) == 1 &&
			    EVP_CIPHER_CTX_ctrl(
			        c, EVP_CTRL_GCM_GET_TAG, 16, rec + n) == 1;
		else if (ok)
			ok = EVP_DecryptUpdate(c, buf, &outl, rec, (int)n) ==
			        1 &&
			    EVP_CIPHER_CTX_ctrl(
			        c, EVP_CTRL_GCM_SET_TAG, 16, rec + n) == 1 &&
			    EVP_DecryptFinal_ex(c, buf + n, &outl) == 1;
	}
	EVP_CIPHER_CTX_free(c);
	free(buf);
	return ok ? now() - t0 : -1;
}

/* The better of a previous time (0: none yet, -1: failed) and a new one. */
static double
best(double old, double t)
{
	if (old < 0 || t < 0)
		return -1;
	return old == 0 || t < old ? t : old;
}

int
main(int argc, char **argv)
{
	uint64_t mib = 1024, kib = 4096, reps = 3, rep, csize;
	struct dst ct = { NULL, 0 }, out = { NULL, 0 }, none = { NULL, 0 };
	double t[6] = { 0 };
	unsigned char *pt, *raw;
	size_t size, chunk, i;

	if ((argc > 1 && num_parse_u64(argv[1], 1, 8192, &mib) != 0) ||
	    (argc > 2 && num_parse_u64(argv[2], 1, 1 << 20, &kib) != 0) ||
	    (argc > 3 && num_parse_u64(argv[3], 1, 100, &reps) != 0)) {
		fprintf(
		    stderr, "usage: bench [SIZE_MIB [CHUNK_KIB [REPEAT]]]\n");
		return 2;
	}
	size = (size_t)mib << 20;
	chunk = (size_t)kib << 10;
	if (stf1_ciphertext_size(size, STF1_LOG2_DEFAULT, &csize) != STF1_OK)
		return 1;
	pt = xmalloc(size);
	ct.p = xmalloc((size_t)csize);
	out.p = xmalloc(size);
	raw = xmalloc((size_t)csize);
	/* Touch every page before timing. */
	for (i = 0; i < size; i++)
		pt[i] = (unsigned char)(i * 31 + 7);
	memset(ct.p, 0, (size_t)csize);
	memset(out.p, 0, size);
	memset(raw, 0, (size_t)csize);
	for (rep = 0; rep < reps; rep++) {
		t[0] = best(t[0], encrypt(pt, size, chunk, &ct));
		t[1] = best(t[1], decrypt(ct.p, ct.len, chunk, &out));
		t[2] = best(t[2], encrypt(pt, size, chunk, &none));
		t[3] = best(t[3], decrypt(ct.p, ct.len, chunk, &none));
		t[4] = best(t[4], raw_gcm(1, pt, size, raw));
		t[5] = best(t[5], raw_gcm(0, pt, size, raw));
	}
	if (t[0] < 0 || t[1] < 0 || t[2] < 0 || t[3] < 0 || t[4] < 0 ||
	    t[5] < 0 || out.len != size || memcmp(out.p, pt, size) != 0) {
		fprintf(stderr, "bench: round trip failed\n");
		return 1;
	}
	printf("encrypt_copy %.0f\ndecrypt_copy %.0f\nencrypt %.0f\n"
	       "decrypt %.0f\nraw_encrypt %.0f\nraw_decrypt %.0f\n",
	    (double)mib / t[0], (double)mib / t[1], (double)mib / t[2],
	    (double)mib / t[3], (double)mib / t[4], (double)mib / t[5]);
	free(pt);
	free(ct.p);
	free(out.p);
	free(raw);
	return 0;
}
