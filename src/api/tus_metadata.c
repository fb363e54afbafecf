/* tus Upload-Metadata parsing; see tus_metadata.h. */
#include "util/common.h"

#include <sodium.h>

#include "api/tus_metadata.h"
#include "util/rand.h"

/*
 * Upload-Metadata: "key b64,key b64". Keys are ASCII without spaces or
 * commas, unique; values standard base64. Finds file_id.
 */
int
tus_metadata_file_id(const char *md, char out[RAND_ID_LEN + 1])
{
	char keys[32][64];
	unsigned char dec[TUS_METADATA_MAX];
	size_t nkeys = 0, i;
	int found = 0;

	if (md == NULL || strlen(md) > TUS_METADATA_MAX)
		return -1;
	while (*md != '\0') {
		size_t kl = strcspn(md, " ,"), vl = 0, declen = 0;
		const char *end = NULL;

		if (kl == 0 || kl >= sizeof(keys[0]) || nkeys == 32)
			return -1;
		for (i = 0; i < kl; i++)
			if ((unsigned char)md[i] <= 0x20 ||
			    (unsigned char)md[i] >= 0x7f)
				return -1;
		for (i = 0; i < nkeys; i++)
			if (strlen(keys[i]) == kl &&
			    memcmp(keys[i], md, kl) == 0)
				return -1; /* a duplicate key */
		memcpy(keys[nkeys], md, kl);
		keys[nkeys++][kl] = '\0';
		md += kl;
		if (*md == ' ') {
			md++;
			vl = strcspn(md, ",");
			if (sodium_base642bin(dec, sizeof(dec), md, vl, NULL,
			        &declen, &end,
			        sodium_base64_VARIANT_ORIGINAL) != 0 ||
			    end != md + vl)
				return -1;
			if (strcmp(keys[nkeys - 1], "file_id") == 0) {
				if (declen != RAND_ID_LEN)
					return -1;
				memcpy(out, dec, RAND_ID_LEN);
				out[RAND_ID_LEN] = '\0';
				/* Decoded bytes must themselves form an id. */
				if (!rand_id_valid(out))
					return -1;
				found = 1;
			}
			md += vl;
		}
		if (*md == ',')
			md++;
	}
	return found ? 0 : -1;
}

enum tus_checksum
tus_checksum_parse(const char *v, unsigned char out[TUS_CHECKSUM_LEN])
{
	const char *b64;
	size_t n = 0, len;

	if (strncmp(v, "sha256 ", 7) != 0)
		return TUS_CHECKSUM_ALGORITHM;
	b64 = v + 7;
	len = strlen(b64);
	/* 32 bytes are 44 characters of padded base64, nothing else. */
	if (len != 44 ||
	    sodium_base642bin(out, TUS_CHECKSUM_LEN, b64, len, NULL, &n, NULL,
	        sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    n != TUS_CHECKSUM_LEN)
		return TUS_CHECKSUM_MALFORMED;
	return TUS_CHECKSUM_OK;
}
