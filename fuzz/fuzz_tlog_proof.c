/*
 * libFuzzer: the "log" member of a directory answer as the CLI reads it
 * (client/ktproof.c), from arbitrary JSON: parsed, matched to an address
 * and keys, and its proof checked against its checkpoint.
 */
#include "util/common.h"

#include <jansson.h>
#include <sodium.h>

#include "client/ktproof.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tlog_signer key;
static int ready;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ktproof *p;
	json_t *doc;
	enum ktproof_status st;

	if (!ready) {
		unsigned char seed[32];

		if (sodium_init() < 0)
			abort();
		crypto_hash_sha256(seed,
		    (const unsigned char *)"securetransfer tlog test key", 28);
		if (tlog_signer_from_seed(&key, seed, "st.example/kt") != 0)
			abort();
		ready = 1;
	}
	doc = json_loadb(
	    (const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (doc == NULL)
		return 0;
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		abort();
	st = ktproof_parse(json_object_get(doc, "log"), p);
	if (st == KTPROOF_OK) {
		if (p->n > TLOG_MAX_PROOF)
			abort();
		(void)ktproof_match(p,
		    json_string_value(json_object_get(doc, "email")),
		    json_string_value(json_object_get(doc, "x25519_pk")),
		    json_string_value(json_object_get(doc, "ed25519_pk")));
		st = ktproof_check(&key.v, p);
		if (st == KTPROOF_OK && p->index >= p->cp.size)
			abort();
	}
	if (ktproof_status_name(st) == NULL)
		abort();
	free(p);
	json_decref(doc);
	return 0;
}
