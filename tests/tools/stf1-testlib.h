/*
 * Test support shared by tests/tools/stf1-vectors.c, stf1-tool.c and
 * tests/unit/test_envelope_vectors.c: hex, the deterministic inputs, the
 * plaintext pattern, in-memory sinks, the mutations of negative vectors
 * (tests/vectors/README.md) and the checks of every vector file. Static
 * functions in a header because each of those programs is one .c file.
 */
#ifndef ST_STF1_TESTLIB_H
#define ST_STF1_TESTLIB_H

#include "util/common.h"

#include <jansson.h>
#include <openssl/evp.h>

#include "envelope/aead.h"
#include "envelope/ed25519.h"
#include "envelope/kdf.h"
#include "envelope/keyid.h"
#include "envelope/manifest.h"
#include "envelope/stanza.h"
#include "envelope/stf1.h"
#include "envelope/stf1_dec.h"
#include "envelope/stf1_enc.h"
#include "util/rand.h"

#define TL_UNUSED __attribute__((unused))
#define TL_SEED "securetransfer/v1/test-vectors"
#define TL_FIRST 256
#define TL_LAST 64

/* SHA-256(TL_SEED || label), the source of every vector input. */
TL_UNUSED static void
tl_derive(unsigned char out[32], const char *label)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, TL_SEED, sizeof(TL_SEED) - 1) != 1 ||
	    EVP_DigestUpdate(ctx, label, strlen(label)) != 1 ||
	    EVP_DigestFinal_ex(ctx, out, NULL) != 1)
		abort();
	EVP_MD_CTX_free(ctx);
}

TL_UNUSED static void
tl_sha256(unsigned char out[32], const void *p, size_t len)
{
	if (EVP_Digest(p, len, out, NULL, EVP_sha256(), NULL) != 1)
		abort();
}

/* byte[i] = (i * 31 + 7) mod 256, i counted from the start of the file. */
TL_UNUSED static void
tl_pattern(unsigned char *p, uint64_t off, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)((off + i) * 31 + 7);
}

/* Lowercase hex of len bytes into a new string. */
TL_UNUSED static char *
tl_hex(const unsigned char *p, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	char *s = xmalloc(2 * len + 1);
	size_t i;

	for (i = 0; i < len; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 15];
	}
	s[2 * len] = '\0';
	return s;
}

TL_UNUSED static int
tl_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decodes lowercase hex of exactly 2 * n digits; 0 or -1. */
TL_UNUSED static int
tl_unhex(unsigned char *out, size_t n, const char *s)
{
	size_t i;
	int hi, lo;

	if (s == NULL || strlen(s) != 2 * n)
		return -1;
	for (i = 0; i < n; i++) {
		if ((hi = tl_nibble(s[2 * i])) < 0 ||
		    (lo = tl_nibble(s[2 * i + 1])) < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

/* A growable byte sink for the write callbacks. */
struct tl_sink {
	unsigned char *data;
	size_t len, cap;
};

TL_UNUSED static int
tl_sink_write(void *arg, const unsigned char *p, size_t len)
{
	struct tl_sink *s = arg;

	if (len > s->cap - s->len) {
		while (len > s->cap - s->len)
			s->cap = s->cap ? 2 * s->cap : 4096;
		s->data = xreallocarray(s->data, s->cap, 1);
	}
	memcpy(s->data + s->len, p, len);
	s->len += len;
	return 0;
}

TL_UNUSED static void
tl_sink_free(struct tl_sink *s)
{
	free(s->data);
	memset(s, 0, sizeof(*s));
}

/*
 * Encrypts the pattern of size bytes from record start on, fed in pieces
 * of chunk bytes, into s.
 */
TL_UNUSED static enum stf1_err
tl_encrypt(struct tl_sink *s, const unsigned char k[32],
    const struct stf1_file *f, uint64_t size, uint64_t start, size_t chunk)
{
	unsigned char *buf = xmalloc(chunk);
	struct stf1_enc *e;
	enum stf1_err err;
	uint64_t off = start << f->record_size_log2;
	size_t n;

	if ((e = stf1_enc_new(k, f, size, start, tl_sink_write, s, &err)) ==
	    NULL) {
		free(buf);
		return err;
	}
	while (off < size && err == STF1_OK) {
		n = size - off < chunk ? (size_t)(size - off) : chunk;
		tl_pattern(buf, off, n);
		err = stf1_enc_update(e, buf, n);
		off += n;
	}
	if (err == STF1_OK)
		err = stf1_enc_final(e);
	stf1_enc_free(e);
	free(buf);
	return err;
}

/* Decrypts p in pieces of chunk bytes into s; EOF at the end. */
TL_UNUSED static enum stf1_err
tl_decrypt(struct tl_sink *s, const unsigned char k[32], const unsigned char *p,
    size_t len, size_t chunk)
{
	struct stf1_dec *d = stf1_dec_new(k, tl_sink_write, s);
	enum stf1_err err = STF1_OK;
	size_t off = 0, n;

	while (off < len && err == STF1_OK) {
		n = len - off < chunk ? len - off : chunk;
		err = stf1_dec_update(d, p + off, n);
		off += n;
	}
	if (err == STF1_OK)
		err = stf1_dec_final(d);
	stf1_dec_free(d);
	return err;
}

/* True if p[0..len) is the pattern from offset 0. */
TL_UNUSED static int
tl_is_pattern(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != (unsigned char)(i * 31 + 7))
			return 0;
	return 1;
}

#include "stf1-testcheck.h"

#endif
