/*
 * libFuzzer: a key answer from a (possibly hostile) server as the CLI's key
 * gate reads it (client/pins.c pins_key_read): any JSON, checked for the
 * invariants the gate relies on.
 */
#include "util/common.h"

#include <jansson.h>

#include "client/pins.h"
#include "envelope/keyid.h"
#include "util/rand.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *doc = json_loadb((const char *)data, size,
	    JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, NULL);
	const char *x = json_string_value(json_object_get(doc, "x25519_pk"));
	unsigned char pk[32], id[KEYID_LEN];
	char want[PINS_KID_LEN + 1], words[KEYID_WORDS_MAX];
	struct pins_key k;
	size_t i;

	if (doc != NULL && pins_key_read(&k, doc) == 0) {
		for (i = 0; k.address[i] != '\0'; i++)
			if ((unsigned char)k.address[i] <= 0x20 ||
			    (k.address[i] >= 'A' && k.address[i] <= 'Z'))
				abort();
		if (strchr(k.address, '@') == NULL)
			abort();
		if (k.has_key && !rand_id_valid(k.key_id))
			abort();
		/* A served key always has the key id it names. */
		if (k.has_key && x != NULL) {
			if (b64u_decode(pk, sizeof(pk), x, strlen(x)) != 32 ||
			    keyid_compute(id, pk) != 0)
				abort();
			b64u_encode(want, sizeof(want), id, sizeof(id));
			if (strcmp(want, k.key_id) != 0)
				abort();
		}
		pins_words(words, sizeof(words), k.key_id);
		if (k.has_key && words[0] == '\0')
			abort();
	}
	json_decref(doc);
	return 0;
}
