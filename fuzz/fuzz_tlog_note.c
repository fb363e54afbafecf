/*
 * libFuzzer: the key-transparency log's texts from outside (src/tlog): a
 * signed checkpoint as a server or a state file gives it, verifier and
 * signer key lines from the settings, and a 120-byte leaf. The first byte
 * picks the parser.
 */
#include "util/common.h"

#include <sodium.h>

#include "tlog/leaf.h"
#include "tlog/note.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The key of tests/vectors/tlog.json (a test key, never a real log's). */
static struct tlog_signer key;
static int ready;

static void
setup(void)
{
	unsigned char seed[32];

	if (sodium_init() < 0)
		abort();
	crypto_hash_sha256(
	    seed, (const unsigned char *)"securetransfer tlog test key", 28);
	if (tlog_signer_from_seed(&key, seed, "st.example/kt") != 0)
		abort();
	ready = 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tlog_checkpoint cp;
	struct tlog_verifier v;
	struct tlog_signer s;
	struct tlog_leaf l;
	char again[TLOG_NOTE_MAX];
	int n;

	if (!ready)
		setup();
	if (size < 1)
		return 0;
	switch (data[0] % 4) {
	case 0:
		if (tlog_checkpoint_open(&key.v, (const char *)data + 1,
		        size - 1, &cp) == TLOG_NOTE_OK) {
			/* What opens is ours, in range, and signing its
			 * values again gives the same text. */
			if (cp.size > TLOG_MAX_SIZE ||
			    strcmp(cp.origin, key.v.name) != 0)
				abort();
			n = tlog_checkpoint_sign(
			    &key, &cp, again, sizeof(again));
			if (n < 0 || strstr(again, "\n\n") == NULL ||
			    memcmp(again, data + 1,
			        (size_t)(strstr(again, "\n\n") - again) + 1) !=
			        0)
				abort();
		}
		break;
	case 1:
		if (tlog_verifier_parse(&v, (const char *)data + 1, size - 1) ==
		        0 &&
		    !tlog_name_ok(v.name))
			abort();
		break;
	case 2:
		if (tlog_signer_parse(&s, (const char *)data + 1, size - 1) ==
		        0 &&
		    !tlog_name_ok(s.v.name))
			abort();
		tlog_signer_wipe(&s);
		break;
	default:
		if (tlog_leaf_decode(&l, data + 1, size - 1) == 0) {
			unsigned char back[TLOG_LEAF_LEN];

			tlog_leaf_encode(back, &l);
			if (memcmp(back, data + 1, TLOG_LEAF_LEN) != 0 ||
			    l.epoch == 0)
				abort();
		}
	}
	return 0;
}
