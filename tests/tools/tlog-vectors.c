/*
 * Writes tests/vectors/tlog.json: the key-transparency log's known answers
 * that the C code (tests/unit/test_tlog_vectors.c) and the browser code
 * (tests/envelope/tlog.test.mjs) must both reproduce byte for byte.
 *
 *   build/tools/tlog-vectors > tests/vectors/tlog.json
 *
 * Deterministic: fixed leaves, a fixed test key (never a real log's).
 */
#include "util/common.h"

#include <jansson.h>
#include <sodium.h>

#include "tlog/leaf.h"
#include "tlog/merkle.h"
#include "tlog/note.h"

#include "tlog-testlib.h"
#include "util/rand.h"

#define N 17

static unsigned char data[N][16];
static size_t dlen[N];
static unsigned char lh[N][32];

static json_t *
hexj(const unsigned char *p, size_t n)
{
	char buf[257];

	sodium_bin2hex(buf, sizeof(buf), p, n);
	return json_string(buf);
}

static json_t *
b64uj(const unsigned char *p, size_t n)
{
	char buf[256];

	b64u_encode(buf, sizeof(buf), p, n);
	return json_string(buf);
}

static json_t *
proof_json(const struct tlog_range *r, int n)
{
	unsigned char h[32];
	json_t *a = json_array();
	int i;

	for (i = 0; i < n; i++) {
		tlog_ref_mth(h, lh, (size_t)r[i].lo, (size_t)r[i].hi);
		json_array_append_new(a, hexj(h, 32));
	}
	return a;
}

static json_t *
merkle(void)
{
	static const char *const ct[] = { "", "00", "10", "2021", "3031",
		"40414243", "5051525354555657",
		"606162636465666768696a6b6c6d6e6f" };
	struct tlog_range r[TLOG_MAX_PROOF];
	json_t *leaves = json_array(), *roots = json_array(),
	       *inc = json_array(), *cons = json_array();
	unsigned char root[32];
	size_t i, n, m;
	int k;

	for (i = 0; i < N; i++) {
		if (i < 8) {
			dlen[i] = strlen(ct[i]) / 2;
			sodium_hex2bin(data[i], sizeof(data[i]), ct[i],
			    strlen(ct[i]), NULL, NULL, NULL);
		} else {
			dlen[i] = 1 + i % 5;
			memset(data[i], (int)(0x70 + i), dlen[i]);
		}
		tlog_leaf_hash(lh[i], data[i], dlen[i]);
		json_array_append_new(leaves, hexj(data[i], dlen[i]));
	}
	for (n = 0; n <= N; n++) {
		tlog_ref_mth(root, lh, 0, n);
		json_array_append_new(roots, hexj(root, 32));
		for (i = 0; i < n; i++) {
			k = tlog_inclusion_ranges(i, n, r);
			json_array_append_new(inc,
			    json_pack("{s:I,s:I,s:o}", "index", (json_int_t)i,
			        "size", (json_int_t)n, "proof",
			        proof_json(r, k)));
		}
		for (m = 0; m <= n; m++) {
			k = tlog_consistency_ranges(m, n, r);
			json_array_append_new(cons,
			    json_pack("{s:I,s:I,s:o}", "size1", (json_int_t)m,
			        "size2", (json_int_t)n, "proof",
			        proof_json(r, k)));
		}
	}
	return json_pack("{s:o,s:o,s:o,s:o}", "leaves", leaves, "roots", roots,
	    "inclusion", inc, "consistency", cons);
}

static json_t *
leaves(void)
{
	static const struct {
		const char *addr;
		enum tlog_event ev;
		uint64_t epoch, time;
	} in[] = {
		{ "jan@minbzk.nl", TLOG_EV_ACCOUNT, 1, 1764547200 },
		{ "jan@minbzk.nl", TLOG_EV_RESET, 2, 1764633600 },
		{ "team@rijksoverheid.nl", TLOG_EV_MAILBOX, 3, 1764720000 },
		{ "ëlla@igj.nl", TLOG_EV_EXISTING, 1, 0 },
		{ "x@y.nl", TLOG_EV_CHANGED, 9007199254740991ULL,
		    9007199254740991ULL },
	};
	json_t *a = json_array();
	unsigned char x[32], ed[32], raw[TLOG_LEAF_LEN], h[32];
	struct tlog_leaf l;
	size_t i;

	for (i = 0; i < ST_ARRAY_LEN(in); i++) {
		memset(x, (int)(0x10 + i), 32);
		memset(ed, (int)(0x80 + i), 32);
		memset(&l, 0, sizeof(l));
		l.event = in[i].ev;
		l.epoch = in[i].epoch;
		l.time = in[i].time;
		tlog_address_hash(l.addr, in[i].addr);
		tlog_key_hash(l.x25519, x);
		tlog_key_hash(l.ed25519, ed);
		tlog_leaf_encode(raw, &l);
		tlog_leaf_hash(h, raw, sizeof(raw));
		json_array_append_new(a,
		    json_pack("{s:s,s:s,s:I,s:I,s:o,s:o,s:o,s:o,s:o}",
		        "address", in[i].addr, "event",
		        tlog_event_name(in[i].ev), "epoch",
		        (json_int_t)in[i].epoch, "time", (json_int_t)in[i].time,
		        "address_hash", hexj(l.addr, 32), "x25519_pk",
		        b64uj(x, 32), "ed25519_pk", b64uj(ed, 32), "leaf",
		        b64uj(raw, sizeof(raw)), "leaf_hash", hexj(h, 32)));
	}
	return a;
}

static json_t *
bad_note(const char *why, const char *note, const char *error)
{
	return json_pack(
	    "{s:s,s:s,s:s}", "why", why, "note", note, "error", error);
}

/* A checkpoint of size with a root made of byte r, signed by s. */
static int
sign(const struct tlog_signer *s, const char *origin, uint64_t size,
    unsigned char r, char *out, size_t outlen)
{
	struct tlog_checkpoint cp = { .size = size };

	snprintf(cp.origin, sizeof(cp.origin), "%s", origin);
	memset(cp.root, r, 32);
	return tlog_checkpoint_sign(s, &cp, out, outlen);
}

static json_t *
notes(void)
{
	unsigned char seed[32], seed2[32];
	struct tlog_signer s, other, far;
	char sk[TLOG_KEY_TEXT_MAX + 1], vk[TLOG_KEY_TEXT_MAX + 1];
	char note[TLOG_NOTE_MAX], bad[TLOG_NOTE_MAX + 256], *p;
	json_t *good = json_array(), *bads = json_array();
	uint64_t sizes[] = { 0, 1, 17, 1000000, 281474976710656ULL };
	size_t i;

	crypto_hash_sha256(
	    seed, (const unsigned char *)"securetransfer tlog test key", 28);
	crypto_hash_sha256(
	    seed2, (const unsigned char *)"securetransfer tlog other key", 29);
	if (tlog_signer_from_seed(&s, seed, "st.example/kt") == -1 ||
	    tlog_signer_from_seed(&other, seed2, "st.example/kt") == -1 ||
	    tlog_signer_from_seed(&far, seed2, "other.example/kt") == -1 ||
	    tlog_signer_format(&s, sk, sizeof(sk)) == -1 ||
	    tlog_verifier_format(&s.v, vk, sizeof(vk)) == -1)
		abort();
	for (i = 0; i < ST_ARRAY_LEN(sizes); i++) {
		sign(&s, "st.example/kt", sizes[i], (unsigned char)(i * 37),
		    note, sizeof(note));
		memset(seed, (int)(i * 37), 32);
		json_array_append_new(good,
		    json_pack("{s:I,s:o,s:s}", "size", (json_int_t)sizes[i],
		        "root", hexj(seed, 32), "note", note));
	}
	sign(&s, "st.example/kt", 12, 0xab, note, sizeof(note));
	/* The size changed after signing. */
	snprintf(bad, sizeof(bad), "%s", note);
	bad[strlen("st.example/kt\n")] = '3';
	json_array_append_new(
	    bads, bad_note("size changed after signing", bad, "bad_signature"));
	/* A witness's co-signature is fine (the good list has it too). */
	snprintf(bad, sizeof(bad),
	    "%s\xe2\x80\x94 witness.example/w1 "
	    "AAAAAAAA\n",
	    note);
	json_array_append_new(good,
	    json_pack("{s:I,s:o,s:s}", "size", (json_int_t)12, "root",
	        (memset(seed, 0xab, 32), hexj(seed, 32)), "note", bad));
	/* Signed by another key with the log's name: not ours. */
	sign(&other, "st.example/kt", 12, 0xab, bad, sizeof(bad));
	json_array_append_new(
	    bads, bad_note("another key, same name", bad, "unsigned"));
	/* Another log, signed by its own key. */
	sign(&far, "other.example/kt", 12, 0xab, bad, sizeof(bad));
	json_array_append_new(
	    bads, bad_note("another log's head", bad, "unsigned"));
	/* Structure. */
	snprintf(bad, sizeof(bad), "st.example/kt\n012\n%s",
	    strchr(note + strlen("st.example/kt\n"), '\n') + 1);
	json_array_append_new(
	    bads, bad_note("leading zero in the size", bad, "malformed"));
	snprintf(bad, sizeof(bad), "%s", note);
	p = strstr(bad, "\n\n");
	memmove(p + 6, p, strlen(p) + 1);
	memcpy(p, "\nextra", 6);
	json_array_append_new(
	    bads, bad_note("an extension line", bad, "malformed"));
	snprintf(bad, sizeof(bad), "%.*s", (int)strlen(note) - 1, note);
	json_array_append_new(
	    bads, bad_note("no final newline", bad, "malformed"));
	snprintf(bad, sizeof(bad), "st.example/kt\n12\n");
	json_array_append_new(bads, bad_note("no signature", bad, "malformed"));
	snprintf(bad, sizeof(bad), "%s", note);
	bad[2] = '\t';
	json_array_append_new(
	    bads, bad_note("a control character", bad, "malformed"));
	tlog_signer_wipe(&s);
	tlog_signer_wipe(&other);
	tlog_signer_wipe(&far);
	return json_pack("{s:s,s:s,s:o,s:o}", "signer", sk, "verifier", vk,
	    "checkpoints", good, "bad", bads);
}

int
main(void)
{
	json_t *doc;

	if (sodium_init() < 0)
		return 1;
	doc = json_pack("{s:s,s:o,s:o,s:o}", "description",
	    "Key-transparency log vectors (docs/transparency.md); made by "
	    "tests/tools/tlog-vectors.c, checked by C and JS.",
	    "merkle", merkle(), "leaves", leaves(), "notes", notes());
	json_dumpf(doc, stdout, JSON_INDENT(1) | JSON_SORT_KEYS);
	putchar('\n');
	json_decref(doc);
	return 0;
}
