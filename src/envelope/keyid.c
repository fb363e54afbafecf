/* Key ids and fingerprint words; see keyid.h. */
#include "util/common.h"

#include <openssl/evp.h>

#include "envelope/keyid.h"
#include "envelope/wordlist.h"

int
keyid_compute(
    unsigned char out[KEYID_LEN], const unsigned char pk[KEYID_PK_LEN])
{
	unsigned char md[32];
	unsigned int mdlen = 0;

	if (EVP_Digest(pk, KEYID_PK_LEN, md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen != sizeof(md))
		return -1;
	memcpy(out, md, KEYID_LEN);
	return 0;
}

void
keyid_word_indexes(unsigned idx[KEYID_WORDS], const unsigned char id[KEYID_LEN])
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | id[i];
	for (i = 0; i < KEYID_WORDS; i++)
		idx[i] = (unsigned)(v >> (64 - WORDLIST_BITS * (i + 1))) &
		    (WORDLIST_LEN - 1);
}

int
keyid_words(char *out, size_t outlen, const unsigned char id[KEYID_LEN])
{
	unsigned idx[KEYID_WORDS];
	size_t len = 0, n;
	int i;

	keyid_word_indexes(idx, id);
	for (i = 0; i < KEYID_WORDS; i++) {
		n = strlen(wordlist_nl[idx[i]]);
		if (outlen - len < n + 2)
			return -1;
		if (i > 0)
			out[len++] = ' ';
		memcpy(out + len, wordlist_nl[idx[i]], n);
		len += n;
	}
	out[len] = '\0';
	return 0;
}
