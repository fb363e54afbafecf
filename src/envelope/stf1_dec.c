/*
 * The STF1 streaming decryptor; see stf1_dec.h. Which nonce a record gets
 * and which error a failure is follow docs/format-stf1.md §2.2 exactly, so
 * that the browser reports the same code for the same bytes.
 */
#include "util/common.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "envelope/kdf.h"
#include "envelope/stf1_dec.h"

struct stf1_dec {
	EVP_CIPHER_CTX *ctx; /* keyed with FK_j once the header verified */
	EVP_CIPHER *cipher;
	unsigned char k[STF1_KEY_LEN]; /* wiped once FK_j is derived */
	unsigned char header[STF1_HEADER_LEN];
	size_t hfill; /* header bytes so far */
	int have_header;
	struct stf1_file file;
	unsigned char want_msg_id[STF1_MSG_ID_LEN]; /* if expect */
	uint32_t want_index; /* if expect */
	int expect; /* stf1_dec_expect was called */
	size_t rlen; /* R + 16, a full record */
	uint64_t rec; /* index of the next record */
	/*
	 * A record that straddles two inputs is decrypted as it comes, under
	 * the nonce of a record that is not the final one, into pt: got bytes
	 * of it so far, of which the last tfill (up to 16: they may be the
	 * tag) wait in tail. Whether it was the final record is known only
	 * when more input or the end comes; if it was (or it does not verify),
	 * its ciphertext is rebuilt into ct from pt (CTR is its own inverse)
	 * and it is opened from there as a whole.
	 */
	size_t got;
	unsigned char tail[STF1_TAG_LEN];
	size_t tfill;
	unsigned char *ct; /* a rebuilt record, rlen bytes */
	unsigned char *pt; /* plaintext until released, R bytes */
	uint64_t released;
	int done; /* the final record verified */
	int ended; /* _final or _stop was called */
	enum stf1_err err; /* sticky */
	stf1_write_fn write;
	void *arg;
};

static enum stf1_err
setup(struct stf1_dec *d)
{
	unsigned char fk[KDF_LEN];
	enum stf1_err err;
	int rc;

	if (d->expect)
		err = stf1_header_verify_ids(d->header, STF1_HEADER_LEN, d->k,
		    d->want_msg_id, d->want_index, &d->file);
	else
		err = stf1_header_verify(
		    d->header, STF1_HEADER_LEN, d->k, &d->file);
	if (err != STF1_OK)
		return err;
	/* With expected ids, FK_j comes from them (they equal the header's). */
	rc = kdf_file_keys(fk, NULL, d->k,
	    d->expect ? d->want_msg_id : d->file.msg_id,
	    d->expect ? d->want_index : d->file.file_index, d->file.salt);
	OPENSSL_cleanse(d->k, sizeof(d->k));
	if (rc != 0)
		return STF1_ERR_CRYPTO;
	d->cipher = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
	d->ctx = EVP_CIPHER_CTX_new();
	rc = d->cipher != NULL && d->ctx != NULL &&
	    EVP_DecryptInit_ex(d->ctx, d->cipher, NULL, fk, NULL) == 1;
	OPENSSL_cleanse(fk, sizeof(fk));
	if (!rc)
		return STF1_ERR_CRYPTO;
	d->rlen = ((size_t)1 << d->file.record_size_log2) + STF1_TAG_LEN;
	d->ct = xmalloc(d->rlen);
	d->pt = xmalloc(d->rlen - STF1_TAG_LEN);
	d->have_header = 1;
	return STF1_OK;
}

/* Decrypts record d->rec from buf (n >= 16 bytes) into pt; 0 if it verified. */
static int
try_open(struct stf1_dec *d, const unsigned char *buf, size_t n, int last)
{
	unsigned char nonce[STF1_NONCE_LEN];
	int outl, ok;

	stf1_nonce(nonce, d->rec, last);
	ok = EVP_DecryptInit_ex(d->ctx, NULL, NULL, NULL, nonce) == 1 &&
	    EVP_DecryptUpdate(
	        d->ctx, NULL, &outl, d->header, STF1_HEADER_LEN) == 1 &&
	    EVP_DecryptUpdate(
	        d->ctx, d->pt, &outl, buf, (int)(n - STF1_TAG_LEN)) == 1 &&
	    EVP_CIPHER_CTX_ctrl(d->ctx, EVP_CTRL_GCM_SET_TAG, STF1_TAG_LEN,
	        (void *)(uintptr_t)(buf + n - STF1_TAG_LEN)) == 1 &&
	    EVP_DecryptFinal_ex(d->ctx, d->pt + (n - STF1_TAG_LEN), &outl) == 1;
	if (!ok)
		OPENSSL_cleanse(d->pt, n - STF1_TAG_LEN);
	return ok ? 0 : -1;
}

static enum stf1_err
release(struct stf1_dec *d, size_t n, int last)
{
	n -= STF1_TAG_LEN;
	d->rec++;
	d->done = last;
	if (n > 0 && d->write(d->arg, d->pt, n) != 0)
		return STF1_ERR_IO;
	d->released += n;
	return STF1_OK;
}

/*
 * Opens a record whose position says whether it is final (§2.2). A
 * failure is retried with the other flag only to name the error.
 */
static enum stf1_err
open_record(struct stf1_dec *d, const unsigned char *buf, size_t n, int last)
{
	if (d->rec >= STF1_MAX_RECORDS)
		return STF1_ERR_COUNTER;
	if (try_open(d, buf, n, last) == 0) {
		/* §2: an empty final record only for an empty file. */
		if (last && n == STF1_TAG_LEN && d->rec != 0)
			return STF1_ERR_SHORT_RECORD;
		return release(d, n, last);
	}
	if (try_open(d, buf, n, !last) != 0)
		return STF1_ERR_RECORD_AUTH;
	OPENSSL_cleanse(d->pt, n - STF1_TAG_LEN);
	if (!last)
		return STF1_ERR_TRAILING;
	return n == d->rlen ? STF1_ERR_TRUNCATED : STF1_ERR_SHORT_RECORD;
}

/* Decrypts n bytes into pt after the dec already there; 0 or -1. */
static int
stream_dec(struct stf1_dec *d, const unsigned char *p, size_t n, size_t *dec)
{
	int outl;

	if (n == 0)
		return 0;
	if (EVP_DecryptUpdate(d->ctx, d->pt + *dec, &outl, p, (int)n) != 1)
		return -1;
	*dec += n;
	return 0;
}

/* Takes the next n bytes (got + n <= rlen) of a straddling record. */
static enum stf1_err
stream(struct stf1_dec *d, const unsigned char *p, size_t n)
{
	unsigned char nonce[STF1_NONCE_LEN];
	size_t dec = d->got - d->tfill, m, a;
	int outl;

	if (d->got == 0) {
		stf1_nonce(nonce, d->rec, 0);
		if (EVP_DecryptInit_ex(d->ctx, NULL, NULL, NULL, nonce) != 1 ||
		    EVP_DecryptUpdate(
		        d->ctx, NULL, &outl, d->header, STF1_HEADER_LEN) != 1)
			return STF1_ERR_CRYPTO;
	}
	d->got += n;
	if (d->tfill + n <= STF1_TAG_LEN) {
		memcpy(d->tail + d->tfill, p, n);
		d->tfill += n;
		return STF1_OK;
	}
	/* All but the last 16 bytes seen: the tail's first, then p's. */
	m = d->tfill + n - STF1_TAG_LEN;
	a = m < d->tfill ? m : d->tfill;
	if (stream_dec(d, d->tail, a, &dec) != 0 ||
	    stream_dec(d, p, m - a, &dec) != 0)
		return STF1_ERR_CRYPTO;
	memmove(d->tail, d->tail + a, d->tfill - a);
	memcpy(d->tail + (d->tfill - a), p + (m - a), n - (m - a));
	d->tfill = STF1_TAG_LEN;
	return STF1_OK;
}

/* The straddling record's ciphertext back into ct; its length. */
static size_t
rebuild(struct stf1_dec *d)
{
	unsigned char nonce[STF1_NONCE_LEN];
	size_t n = d->got, dec = n - d->tfill;
	int outl, ok = 1;

	if (dec > 0) {
		stf1_nonce(nonce, d->rec, 0);
		ok = EVP_DecryptInit_ex(d->ctx, NULL, NULL, NULL, nonce) == 1 &&
		    EVP_DecryptUpdate(d->ctx, d->ct, &outl, d->pt, (int)dec) ==
		        1;
		OPENSSL_cleanse(d->pt, dec);
	}
	memcpy(d->ct + dec, d->tail, d->tfill);
	d->got = d->tfill = 0;
	return ok ? n : 0;
}

/* The straddling record, now known not to be the final one. */
static enum stf1_err
stream_done(struct stf1_dec *d)
{
	int outl;
	size_t n;

	if (d->rec < STF1_MAX_RECORDS &&
	    EVP_CIPHER_CTX_ctrl(
	        d->ctx, EVP_CTRL_GCM_SET_TAG, STF1_TAG_LEN, d->tail) == 1 &&
	    EVP_DecryptFinal_ex(
	        d->ctx, d->pt + d->rlen - STF1_TAG_LEN, &outl) == 1) {
		d->got = d->tfill = 0;
		return release(d, d->rlen, 0);
	}
	/* Does not verify: open it whole to name the error. */
	if ((n = rebuild(d)) == 0)
		return STF1_ERR_CRYPTO;
	return open_record(d, d->ct, n, 0);
}

static enum stf1_err
update(struct stf1_dec *d, const unsigned char *p, size_t len)
{
	enum stf1_err err;
	size_t n;

	if (d->ended)
		return STF1_ERR_ARGUMENT;
	while (len > 0) {
		if (!d->have_header) {
			n = STF1_HEADER_LEN - d->hfill;
			n = len < n ? len : n;
			memcpy(d->header + d->hfill, p, n);
			d->hfill += n;
			p += n;
			len -= n;
			if (d->hfill == STF1_HEADER_LEN &&
			    (err = setup(d)) != STF1_OK)
				return err;
			continue;
		}
		if (d->done)
			return STF1_ERR_TRAILING;
		if (d->got == d->rlen) {
			/* More data follows the straddling record. */
			if ((err = stream_done(d)) != STF1_OK)
				return err;
			continue;
		}
		if (d->got == 0 && len > d->rlen) {
			/* A whole record in the input: open it in place. */
			if ((err = open_record(d, p, d->rlen, 0)) != STF1_OK)
				return err;
			p += d->rlen;
			len -= d->rlen;
			continue;
		}
		n = d->rlen - d->got;
		n = len < n ? len : n;
		if ((err = stream(d, p, n)) != STF1_OK)
			return err;
		p += n;
		len -= n;
	}
	return STF1_OK;
}

static enum stf1_err
end(struct stf1_dec *d, int eof)
{
	enum stf1_err err;
	size_t n = d->got;

	if (d->ended)
		return STF1_ERR_ARGUMENT;
	d->ended = 1;
	if (!d->have_header)
		return STF1_ERR_TRUNCATED;
	if (d->done || (!eof && n == 0))
		return STF1_OK;
	if (n < STF1_TAG_LEN)
		return STF1_ERR_TRUNCATED;
	/* The last record may be the final one: opened whole from ct. */
	if (rebuild(d) != n)
		return STF1_ERR_CRYPTO;
	if (eof)
		return open_record(d, d->ct, n, 1);
	/* A range end: whichever flag verifies, a full record first. */
	err = open_record(d, d->ct, n, n != d->rlen);
	if (err == STF1_ERR_TRAILING) {
		if (try_open(d, d->ct, n, 1) != 0)
			return STF1_ERR_CRYPTO;
		return release(d, n, 1);
	}
	return err;
}

enum stf1_err
stf1_dec_update(struct stf1_dec *d, const void *p, size_t len)
{
	if (d->err == STF1_OK)
		d->err = update(d, p, len);
	return d->err;
}

enum stf1_err
stf1_dec_final(struct stf1_dec *d)
{
	if (d->err == STF1_OK)
		d->err = end(d, 1);
	return d->err;
}

enum stf1_err
stf1_dec_stop(struct stf1_dec *d)
{
	if (d->err == STF1_OK)
		d->err = end(d, 0);
	return d->err;
}

struct stf1_dec *
stf1_dec_new(
    const unsigned char k[STF1_KEY_LEN], stf1_write_fn write, void *arg)
{
	struct stf1_dec *d = xcalloc(1, sizeof(*d));

	memcpy(d->k, k, STF1_KEY_LEN);
	d->write = write;
	d->arg = arg;
	return d;
}

enum stf1_err
stf1_dec_expect(struct stf1_dec *d, const unsigned char msg_id[STF1_MSG_ID_LEN],
    uint32_t file_index)
{
	if (d->hfill > 0 || d->ended || d->err != STF1_OK)
		return STF1_ERR_ARGUMENT;
	memcpy(d->want_msg_id, msg_id, STF1_MSG_ID_LEN);
	d->want_index = file_index;
	d->expect = 1;
	return STF1_OK;
}

static struct stf1_dec *
new_range(const unsigned char k[STF1_KEY_LEN],
    const unsigned char header[STF1_HEADER_LEN], uint64_t start,
    const unsigned char *msg_id, uint32_t file_index, stf1_write_fn write,
    void *arg, enum stf1_err *err)
{
	struct stf1_dec *d;

	if (start >= STF1_MAX_RECORDS) {
		*err = STF1_ERR_COUNTER;
		return NULL;
	}
	d = stf1_dec_new(k, write, arg);
	if (msg_id != NULL)
		(void)stf1_dec_expect(d, msg_id, file_index);
	memcpy(d->header, header, STF1_HEADER_LEN);
	d->hfill = STF1_HEADER_LEN;
	if ((*err = setup(d)) != STF1_OK) {
		stf1_dec_free(d);
		return NULL;
	}
	d->rec = start;
	return d;
}

struct stf1_dec *
stf1_dec_new_range(const unsigned char k[STF1_KEY_LEN],
    const unsigned char header[STF1_HEADER_LEN], uint64_t start,
    stf1_write_fn write, void *arg, enum stf1_err *err)
{
	return new_range(k, header, start, NULL, 0, write, arg, err);
}

struct stf1_dec *
stf1_dec_new_range_expect(const unsigned char k[STF1_KEY_LEN],
    const unsigned char header[STF1_HEADER_LEN], uint64_t start,
    const unsigned char msg_id[STF1_MSG_ID_LEN], uint32_t file_index,
    stf1_write_fn write, void *arg, enum stf1_err *err)
{
	return new_range(k, header, start, msg_id, file_index, write, arg, err);
}

const struct stf1_file *
stf1_dec_file(const struct stf1_dec *d)
{
	return d->have_header ? &d->file : NULL;
}

uint64_t
stf1_dec_released(const struct stf1_dec *d)
{
	return d->released;
}

void
stf1_dec_free(struct stf1_dec *d)
{
	if (d == NULL)
		return;
	EVP_CIPHER_CTX_free(d->ctx);
	EVP_CIPHER_free(d->cipher);
	if (d->pt != NULL)
		free_secret(d->pt, d->rlen - STF1_TAG_LEN);
	free(d->ct);
	OPENSSL_cleanse(d, sizeof(*d));
	free(d);
}
