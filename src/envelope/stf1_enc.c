/* The STF1 streaming encryptor; see stf1_enc.h. */
#include "util/common.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "envelope/kdf.h"
#include "envelope/stf1_enc.h"

struct stf1_enc {
	EVP_CIPHER_CTX *ctx; /* keyed with FK_j once; IV reset per record */
	EVP_CIPHER *cipher;
	unsigned char header[STF1_HEADER_LEN];
	unsigned log2;
	uint64_t size; /* total plaintext bytes */
	uint64_t nrec; /* records in the file */
	uint64_t rec; /* current record; nrec when done */
	uint64_t left; /* plaintext bytes the current record still takes */
	int header_pending; /* header not yet written */
	int finished;
	enum stf1_err err; /* sticky */
	stf1_write_fn write;
	void *arg;
	unsigned char scratch[STF1_ENC_CHUNK];
};

static uint64_t
record_len(const struct stf1_enc *e, uint64_t i)
{
	if (i + 1 < e->nrec)
		return UINT64_C(1) << e->log2;
	return e->size - ((e->nrec - 1) << e->log2);
}

static enum stf1_err
open_record(struct stf1_enc *e)
{
	unsigned char nonce[STF1_NONCE_LEN];
	int outl;

	stf1_nonce(nonce, e->rec, e->rec + 1 == e->nrec);
	if (EVP_EncryptInit_ex(e->ctx, NULL, NULL, NULL, nonce) != 1 ||
	    EVP_EncryptUpdate(
	        e->ctx, NULL, &outl, e->header, STF1_HEADER_LEN) != 1)
		return STF1_ERR_CRYPTO;
	e->left = record_len(e, e->rec);
	return STF1_OK;
}

static enum stf1_err
close_record(struct stf1_enc *e)
{
	unsigned char tag[STF1_TAG_LEN];
	int outl = 0;

	if (EVP_EncryptFinal_ex(e->ctx, e->scratch, &outl) != 1 || outl != 0 ||
	    EVP_CIPHER_CTX_ctrl(
	        e->ctx, EVP_CTRL_GCM_GET_TAG, STF1_TAG_LEN, tag) != 1)
		return STF1_ERR_CRYPTO;
	if (e->write(e->arg, tag, sizeof(tag)) != 0)
		return STF1_ERR_IO;
	if (++e->rec < e->nrec)
		return open_record(e);
	return STF1_OK;
}

struct stf1_enc *
stf1_enc_new(const unsigned char k[STF1_KEY_LEN], const struct stf1_file *f,
    uint64_t size, uint64_t start, stf1_write_fn write, void *arg,
    enum stf1_err *err)
{
	struct stf1_enc *e;
	unsigned char fk[KDF_LEN];
	uint64_t c;

	if ((*err = stf1_ciphertext_size(size, f->record_size_log2, &c)) !=
	    STF1_OK)
		return NULL;
	e = xcalloc(1, sizeof(*e));
	e->log2 = f->record_size_log2;
	e->size = size;
	e->nrec = stf1_record_count(size, e->log2);
	e->rec = start;
	e->header_pending = start == 0;
	e->write = write;
	e->arg = arg;
	*err = STF1_ERR_ARGUMENT;
	if (start >= e->nrec)
		goto fail;
	*err = STF1_ERR_CRYPTO;
	if (stf1_header_build(e->header, k, f) != STF1_OK ||
	    kdf_file_keys(fk, NULL, k, f->msg_id, f->file_index, f->salt) != 0)
		goto fail;
	e->cipher = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
	e->ctx = EVP_CIPHER_CTX_new();
	if (e->cipher == NULL || e->ctx == NULL ||
	    EVP_EncryptInit_ex(e->ctx, e->cipher, NULL, fk, NULL) != 1) {
		OPENSSL_cleanse(fk, sizeof(fk));
		goto fail;
	}
	OPENSSL_cleanse(fk, sizeof(fk));
	if ((*err = open_record(e)) != STF1_OK)
		goto fail;
	return e;
fail:
	stf1_enc_free(e);
	return NULL;
}

static enum stf1_err
put_header(struct stf1_enc *e)
{
	if (!e->header_pending)
		return STF1_OK;
	e->header_pending = 0;
	if (e->write(e->arg, e->header, STF1_HEADER_LEN) != 0)
		return STF1_ERR_IO;
	return STF1_OK;
}

static enum stf1_err
update(struct stf1_enc *e, const unsigned char *p, size_t len)
{
	enum stf1_err err;
	size_t n;
	int outl;

	if (e->finished)
		return STF1_ERR_ARGUMENT;
	if ((err = put_header(e)) != STF1_OK)
		return err;
	while (len > 0) {
		if (e->rec == e->nrec || e->left == 0)
			return STF1_ERR_SIZE;
		n = len < sizeof(e->scratch) ? len : sizeof(e->scratch);
		if (n > e->left)
			n = (size_t)e->left;
		if (EVP_EncryptUpdate(e->ctx, e->scratch, &outl, p, (int)n) !=
		        1 ||
		    (size_t)outl != n)
			return STF1_ERR_CRYPTO;
		if (e->write(e->arg, e->scratch, n) != 0)
			return STF1_ERR_IO;
		p += n;
		len -= n;
		e->left -= n;
		if (e->left == 0 && (err = close_record(e)) != STF1_OK)
			return err;
	}
	return STF1_OK;
}

enum stf1_err
stf1_enc_update(struct stf1_enc *e, const void *p, size_t len)
{
	if (e->err == STF1_OK)
		e->err = update(e, p, len);
	return e->err;
}

enum stf1_err
stf1_enc_final(struct stf1_enc *e)
{
	if (e->err != STF1_OK)
		return e->err;
	if (e->finished)
		return e->err = STF1_ERR_ARGUMENT;
	if ((e->err = put_header(e)) != STF1_OK)
		return e->err;
	/* Only the empty file's one empty record is still open here. */
	if (e->rec + 1 == e->nrec && e->size == 0 &&
	    (e->err = close_record(e)) != STF1_OK)
		return e->err;
	if (e->rec != e->nrec)
		return e->err = STF1_ERR_SIZE;
	e->finished = 1;
	return STF1_OK;
}

void
stf1_enc_header(const struct stf1_enc *e, unsigned char out[96])
{
	memcpy(out, e->header, STF1_HEADER_LEN);
}

void
stf1_enc_free(struct stf1_enc *e)
{
	if (e == NULL)
		return;
	EVP_CIPHER_CTX_free(e->ctx);
	EVP_CIPHER_free(e->cipher);
	OPENSSL_cleanse(e, sizeof(*e));
	free(e);
}
