/*
 * tests/vectors/tlog.json (run from the repository root): the C code
 * reproduces every root, proof, leaf and checkpoint and refuses every bad
 * note with the named error. tests/envelope/tlog.test.mjs checks the same
 * file in JavaScript.
 */
#include "unit.h"

#include <jansson.h>
#include <sodium.h>

#include "tlog/leaf.h"
#include "tlog/merkle.h"
#include "tlog/note.h"
#include "util/rand.h"

static json_t *
load(void)
{
	json_error_t err;

	return json_load_file("tests/vectors/tlog.json", 0, &err);
}

static int
unhex(unsigned char *out, size_t max, const char *hex, size_t *len)
{
	return sodium_hex2bin(out, max, hex, strlen(hex), NULL, len, NULL);
}

static int
hex_is(const unsigned char *p, size_t n, const char *want)
{
	char buf[257];

	sodium_bin2hex(buf, sizeof(buf), p, n);
	return strcmp(buf, want) == 0;
}

/* The proof of a vector as hashes; its length in *n. */
static void
proof_of(json_t *arr, unsigned char (*out)[32], size_t *n)
{
	size_t i, len;
	json_t *h;

	*n = json_array_size(arr);
	json_array_foreach(arr, i, h)
	    unhex(out[i], 32, json_string_value(h), &len);
}

TEST(tlog_vectors_merkle)
{
	json_t *doc = load(), *m, *v;
	unsigned char lh[64][32], root[32], roots[64][32];
	unsigned char p[TLOG_MAX_PROOF][32], buf[64];
	struct tlog_range r[TLOG_MAX_PROOF];
	size_t i, n, len, count = 0;

	REQUIRE(doc != NULL);
	m = json_object_get(doc, "merkle");
	json_array_foreach(json_object_get(m, "leaves"), i, v)
	{
		REQUIRE(
		    unhex(buf, sizeof(buf), json_string_value(v), &len) == 0);
		tlog_leaf_hash(lh[i], buf, len);
	}
	json_array_foreach(json_object_get(m, "roots"), i, v)
	{
		unhex(roots[i], 32, json_string_value(v), &len);
		if (i == 0)
			tlog_empty_root(root);
		else {
			unsigned char front[TLOG_MAX_NODES][32],
			    made[TLOG_MAX_NODES][32];
			struct tlog_node nd[TLOG_MAX_NODES];
			size_t nf = 0, j;

			for (j = 0; j < i; j++)
				tlog_append(j, front, &nf, lh[j], nd, made);
			tlog_fold(root, front[0], nf);
		}
		CHECK(memcmp(root, roots[i], 32) == 0);
	}
	json_array_foreach(json_object_get(m, "inclusion"), i, v)
	{
		uint64_t idx = (uint64_t)json_integer_value(
		    json_object_get(v, "index"));
		uint64_t size = (uint64_t)json_integer_value(
		    json_object_get(v, "size"));
		int k = tlog_inclusion_ranges(idx, size, r);

		proof_of(json_object_get(v, "proof"), p, &n);
		CHECK(k == (int)n);
		CHECK(tlog_verify_inclusion(
		          lh[idx], idx, size, p[0], n, roots[size]) == 0);
		count++;
	}
	json_array_foreach(json_object_get(m, "consistency"), i, v)
	{
		uint64_t a = (uint64_t)json_integer_value(
		    json_object_get(v, "size1"));
		uint64_t b = (uint64_t)json_integer_value(
		    json_object_get(v, "size2"));

		proof_of(json_object_get(v, "proof"), p, &n);
		CHECK(tlog_consistency_ranges(a, b, r) == (int)n);
		CHECK(tlog_verify_consistency(
		          a, b, roots[a], roots[b], p[0], n) == 0);
		count++;
	}
	CHECK(count > 300);
	json_decref(doc);
}

static enum tlog_event
event_of(const char *name)
{
	int e;

	for (e = 1; e <= TLOG_EV_MAX; e++)
		if (strcmp(tlog_event_name((enum tlog_event)e), name) == 0)
			return (enum tlog_event)e;
	return (enum tlog_event)0;
}

TEST(tlog_vectors_leaves)
{
	json_t *doc = load(), *v;
	unsigned char raw[TLOG_LEAF_LEN], pk[32], h[32];
	char b64[TLOG_LEAF_LEN * 2];
	struct tlog_leaf l, back;
	size_t i;

	REQUIRE(doc != NULL);
	json_array_foreach(json_object_get(doc, "leaves"), i, v)
	{
		memset(&l, 0, sizeof(l));
		l.event = event_of(
		    json_string_value(json_object_get(v, "event")));
		l.epoch = (uint64_t)json_integer_value(
		    json_object_get(v, "epoch"));
		l.time = (uint64_t)json_integer_value(
		    json_object_get(v, "time"));
		tlog_address_hash(
		    l.addr, json_string_value(json_object_get(v, "address")));
		CHECK(hex_is(l.addr, 32,
		    json_string_value(json_object_get(v, "address_hash"))));
		b64u_decode(pk, 32,
		    json_string_value(json_object_get(v, "x25519_pk")), 43);
		tlog_key_hash(l.x25519, pk);
		b64u_decode(pk, 32,
		    json_string_value(json_object_get(v, "ed25519_pk")), 43);
		tlog_key_hash(l.ed25519, pk);
		tlog_leaf_encode(raw, &l);
		b64u_encode(b64, sizeof(b64), raw, sizeof(raw));
		CHECK(strcmp(b64,
		          json_string_value(json_object_get(v, "leaf"))) == 0);
		tlog_leaf_hash(h, raw, sizeof(raw));
		CHECK(hex_is(
		    h, 32, json_string_value(json_object_get(v, "leaf_hash"))));
		CHECK(tlog_leaf_decode(&back, raw, sizeof(raw)) == 0 &&
		    back.epoch == l.epoch);
	}
	json_decref(doc);
}

TEST(tlog_vectors_checkpoints)
{
	json_t *doc = load(), *n, *v;
	struct tlog_verifier ver;
	struct tlog_signer s;
	struct tlog_checkpoint cp;
	const char *note, *err;
	char again[TLOG_NOTE_MAX];
	size_t i;

	REQUIRE(doc != NULL);
	n = json_object_get(doc, "notes");
	REQUIRE(tlog_verifier_parse(&ver,
	            json_string_value(json_object_get(n, "verifier")),
	            strlen(json_string_value(
	                json_object_get(n, "verifier")))) == 0);
	REQUIRE(
	    tlog_signer_parse(&s,
	        json_string_value(json_object_get(n, "signer")),
	        strlen(json_string_value(json_object_get(n, "signer")))) == 0);
	json_array_foreach(json_object_get(n, "checkpoints"), i, v)
	{
		note = json_string_value(json_object_get(v, "note"));
		REQUIRE(tlog_checkpoint_open(&ver, note, strlen(note), &cp) ==
		    TLOG_NOTE_OK);
		CHECK(cp.size ==
		    (uint64_t)json_integer_value(json_object_get(v, "size")));
		CHECK(hex_is(cp.root, 32,
		    json_string_value(json_object_get(v, "root"))));
		/* Ed25519 is deterministic: signing again gives the note
		 * (without any co-signature). */
		REQUIRE(
		    tlog_checkpoint_sign(&s, &cp, again, sizeof(again)) > 0);
		CHECK(strncmp(note, again, strlen(again)) == 0);
	}
	json_array_foreach(json_object_get(n, "bad"), i, v)
	{
		note = json_string_value(json_object_get(v, "note"));
		err = json_string_value(json_object_get(v, "error"));
		CHECK(strcmp(tlog_note_status_name(tlog_checkpoint_open(
		                 &ver, note, strlen(note), &cp)),
		          err) == 0);
	}
	tlog_signer_wipe(&s);
	json_decref(doc);
}
