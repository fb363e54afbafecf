/* STF1 sizes, error names and the header; see stf1.h. */
#include "util/common.h"

#include <openssl/crypto.h>

#include "envelope/kdf.h"
#include "envelope/stf1.h"

static const char *const stf1_names[STF1_ERR_COUNT_] = {
	[STF1_OK] = "ok",
	[STF1_ERR_MAGIC] = "magic",
	[STF1_ERR_VERSION] = "version",
	[STF1_ERR_SUITE] = "suite",
	[STF1_ERR_RECORD_SIZE] = "record_size",
	[STF1_ERR_FLAGS] = "flags",
	[STF1_ERR_RESERVED] = "reserved",
	[STF1_ERR_HEADER_MAC] = "header_mac",
	[STF1_ERR_RECORD_AUTH] = "record_auth",
	[STF1_ERR_TRUNCATED] = "truncated",
	[STF1_ERR_TRAILING] = "trailing",
	[STF1_ERR_SHORT_RECORD] = "short_record",
	[STF1_ERR_COUNTER] = "counter",
	[STF1_ERR_SIZE] = "size",
	[STF1_ERR_ZERO_SHARED_SECRET] = "zero_shared_secret",
	[STF1_ERR_STANZA_AUTH] = "stanza_auth",
	[STF1_ERR_MANIFEST_INVALID] = "manifest_invalid",
	[STF1_ERR_MANIFEST_AUTH] = "manifest_auth",
	[STF1_ERR_SIGNATURE] = "signature",
	[STF1_ERR_PARAMS] = "params",
	[STF1_ERR_ARGUMENT] = "argument",
	[STF1_ERR_CRYPTO] = "crypto",
	[STF1_ERR_IO] = "io",
};

const char *
stf1_err_name(enum stf1_err e)
{
	if ((unsigned)e >= STF1_ERR_COUNT_)
		return "unknown";
	return stf1_names[e];
}

int
stf1_err_from_name(const char *name)
{
	int i;

	for (i = 0; i < STF1_ERR_COUNT_; i++)
		if (strcmp(stf1_names[i], name) == 0)
			return i;
	return -1;
}

uint64_t
stf1_record_count(uint64_t p, unsigned log2)
{
	uint64_t n = p >> log2;

	if ((p & ((UINT64_C(1) << log2) - 1)) != 0 || n == 0)
		n++;
	return n;
}

enum stf1_err
stf1_ciphertext_size(uint64_t p, unsigned log2, uint64_t *c)
{
	uint64_t n;

	if (log2 < STF1_LOG2_MIN || log2 > STF1_LOG2_MAX)
		return STF1_ERR_RECORD_SIZE;
	n = stf1_record_count(p, log2);
	if (n > STF1_MAX_RECORDS)
		return STF1_ERR_SIZE;
	/* n <= 2^32 and p <= 2^54: the sum cannot overflow; check anyway. */
	if (p > UINT64_MAX - STF1_HEADER_LEN ||
	    n > (UINT64_MAX - STF1_HEADER_LEN - p) / STF1_TAG_LEN)
		return STF1_ERR_SIZE;
	*c = STF1_HEADER_LEN + p + STF1_TAG_LEN * n;
	return STF1_OK;
}

enum stf1_err
stf1_plaintext_size(uint64_t c, unsigned log2, uint64_t *p)
{
	uint64_t r, full, rem, body, check;

	if (log2 < STF1_LOG2_MIN || log2 > STF1_LOG2_MAX)
		return STF1_ERR_RECORD_SIZE;
	if (c < STF1_HEADER_LEN + STF1_TAG_LEN)
		return STF1_ERR_SIZE;
	r = UINT64_C(1) << log2;
	body = c - STF1_HEADER_LEN;
	full = body / (r + STF1_TAG_LEN);
	rem = body % (r + STF1_TAG_LEN);
	if (rem == 0)
		*p = full * r;
	else if (rem == STF1_TAG_LEN && full == 0)
		*p = 0;
	else if (rem > STF1_TAG_LEN)
		*p = full * r + rem - STF1_TAG_LEN;
	else
		return STF1_ERR_SIZE;
	/* Too many records: the forward formula refuses, so must we. */
	if (stf1_ciphertext_size(*p, log2, &check) != STF1_OK || check != c)
		return STF1_ERR_SIZE;
	return STF1_OK;
}

void
stf1_nonce(unsigned char out[STF1_NONCE_LEN], uint64_t i, int last)
{
	int b;

	memset(out, 0, STF1_NONCE_LEN);
	for (b = 0; b < 8; b++)
		out[10 - b] = (unsigned char)(i >> (8 * b));
	out[11] = last ? 0x01 : 0x00;
}

enum stf1_err
stf1_header_build(unsigned char out[STF1_HEADER_LEN],
    const unsigned char k[STF1_KEY_LEN], const struct stf1_file *f)
{
	unsigned char hk[KDF_LEN];
	int rc;

	if (f->record_size_log2 < STF1_LOG2_MIN ||
	    f->record_size_log2 > STF1_LOG2_MAX)
		return STF1_ERR_RECORD_SIZE;
	memset(out, 0, STF1_HEADER_LEN);
	memcpy(out, "STF1", 4);
	out[4] = STF1_VERSION;
	out[5] = STF1_SUITE;
	out[6] = (unsigned char)f->record_size_log2;
	out[7] = 0;
	memcpy(out + 8, f->msg_id, STF1_MSG_ID_LEN);
	out[24] = (unsigned char)(f->file_index >> 24);
	out[25] = (unsigned char)(f->file_index >> 16);
	out[26] = (unsigned char)(f->file_index >> 8);
	out[27] = (unsigned char)f->file_index;
	memcpy(out + 28, f->salt, STF1_SALT_LEN);
	if (kdf_file_keys(NULL, hk, k, f->msg_id, f->file_index, f->salt) != 0)
		return STF1_ERR_CRYPTO;
	rc = kdf_hmac(out + STF1_HEADER_MAC_OFF, hk, sizeof(hk), out,
	    STF1_HEADER_MAC_OFF);
	OPENSSL_cleanse(hk, sizeof(hk));
	return rc == 0 ? STF1_OK : STF1_ERR_CRYPTO;
}

enum stf1_err
stf1_header_parse(const unsigned char *h, size_t len, struct stf1_file *f)
{
	if (len < STF1_HEADER_LEN)
		return STF1_ERR_TRUNCATED;
	if (memcmp(h, "STF1", 4) != 0)
		return STF1_ERR_MAGIC;
	if (h[4] != STF1_VERSION)
		return STF1_ERR_VERSION;
	if (h[5] != STF1_SUITE)
		return STF1_ERR_SUITE;
	if (h[6] < STF1_LOG2_MIN || h[6] > STF1_LOG2_MAX)
		return STF1_ERR_RECORD_SIZE;
	if (h[7] != 0)
		return STF1_ERR_FLAGS;
	if ((h[60] | h[61] | h[62] | h[63]) != 0)
		return STF1_ERR_RESERVED;
	memcpy(f->msg_id, h + 8, STF1_MSG_ID_LEN);
	f->file_index = (uint32_t)h[24] << 24 | (uint32_t)h[25] << 16 |
	    (uint32_t)h[26] << 8 | (uint32_t)h[27];
	memcpy(f->salt, h + 28, STF1_SALT_LEN);
	f->record_size_log2 = h[6];
	return STF1_OK;
}

/* The MAC of h under HK derived from msg_id and file_index. */
static enum stf1_err
verify_mac(const unsigned char *h, const unsigned char k[STF1_KEY_LEN],
    const unsigned char msg_id[STF1_MSG_ID_LEN], uint32_t file_index,
    const unsigned char salt[STF1_SALT_LEN])
{
	unsigned char hk[KDF_LEN], mac[KDF_LEN];
	int rc;

	if (kdf_file_keys(NULL, hk, k, msg_id, file_index, salt) != 0)
		return STF1_ERR_CRYPTO;
	rc = kdf_hmac(mac, hk, sizeof(hk), h, STF1_HEADER_MAC_OFF);
	OPENSSL_cleanse(hk, sizeof(hk));
	if (rc != 0)
		return STF1_ERR_CRYPTO;
	if (CRYPTO_memcmp(mac, h + STF1_HEADER_MAC_OFF, KDF_LEN) != 0)
		return STF1_ERR_HEADER_MAC;
	return STF1_OK;
}

enum stf1_err
stf1_header_verify(const unsigned char *h, size_t len,
    const unsigned char k[STF1_KEY_LEN], struct stf1_file *f)
{
	enum stf1_err e;

	if ((e = stf1_header_parse(h, len, f)) != STF1_OK)
		return e;
	return verify_mac(h, k, f->msg_id, f->file_index, f->salt);
}

enum stf1_err
stf1_header_verify_ids(const unsigned char *h, size_t len,
    const unsigned char k[STF1_KEY_LEN],
    const unsigned char msg_id[STF1_MSG_ID_LEN], uint32_t file_index,
    struct stf1_file *f)
{
	enum stf1_err e;

	if ((e = stf1_header_parse(h, len, f)) != STF1_OK)
		return e;
	/*
	 * The ids are public; comparing them first only names a mismatch
	 * early. The MAC under keys of the expected ids is what binds.
	 */
	if (memcmp(f->msg_id, msg_id, STF1_MSG_ID_LEN) != 0 ||
	    f->file_index != file_index)
		return STF1_ERR_HEADER_MAC;
	return verify_mac(h, k, msg_id, file_index, f->salt);
}
