/*
 * libFuzzer: the streaming decryptor on arbitrary bytes, fed in pieces
 * whose sizes come from the input. The first byte picks the record size
 * and the chunking; the rest is the object. A valid header is built for
 * the fixed key when the input asks for it, so records get exercised.
 */
#include "util/common.h"

#include "envelope/stf1.h"
#include "envelope/stf1_dec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
sink(void *arg, const unsigned char *p, size_t len)
{
	uint64_t *n = arg;
	size_t i;

	/* Touch the released bytes so ASan sees every read. */
	for (i = 0; i < len; i++)
		*n += p[i];
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char k[32] = { 0x5a };
	unsigned char hdr[STF1_HEADER_LEN];
	struct stf1_file f = { 0 };
	struct stf1_dec *d;
	enum stf1_err err = STF1_OK;
	uint64_t n = 0;
	size_t chunk, off, len;
	unsigned mode;

	if (size < 1)
		return 0;
	mode = data[0];
	data++;
	size--;
	chunk = (size_t)(mode & 0x1f) * 97 + 1;
	d = stf1_dec_new(k, sink, &n);
	if (mode & 0x80) {
		/* A valid header, so the records behind it are reached. */
		f.record_size_log2 = STF1_LOG2_MIN;
		f.file_index = mode & 0x40 ? 1 : 0;
		if (stf1_header_build(hdr, k, &f) != STF1_OK)
			abort();
		err = stf1_dec_update(d, hdr, sizeof(hdr));
	}
	for (off = 0; off < size && err == STF1_OK; off += len) {
		len = size - off < chunk ? size - off : chunk;
		err = stf1_dec_update(d, data + off, len);
	}
	if (err == STF1_OK)
		err = mode & 0x20 ? stf1_dec_stop(d) : stf1_dec_final(d);
	if (stf1_err_name(err)[0] == '\0')
		abort();
	stf1_dec_free(d);
	return 0;
}
