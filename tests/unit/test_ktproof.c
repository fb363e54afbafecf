/* Tests for src/client/ktproof.c: a served key's log member as the CLI
 * checks it, and every way a server could get it wrong. */
#include "unit.h"

#include <jansson.h>
#include <sodium.h>

#include "client/ktproof.h"
#include "util/rand.h"

static struct tlog_signer log_key, other_key;

/* A log of three leaves (a, b, c@org.nl), the member for leaf 1 (b). */
static json_t *
member(const struct tlog_signer *signer, char pk_out[44])
{
	unsigned char raw[3][TLOG_LEAF_LEN], lh[3][32], root[32], ab[32];
	unsigned char pk[32];
	struct tlog_checkpoint cp = { .size = 3 };
	struct tlog_leaf l = { .event = TLOG_EV_ACCOUNT, .epoch = 1 };
	char note[TLOG_NOTE_MAX], b64[200], h[64];
	const char *who[] = { "a@org.nl", "b@org.nl", "c@org.nl" };
	json_t *proof;
	int i;

	for (i = 0; i < 3; i++) {
		memset(pk, 0x40 + i, 32);
		tlog_address_hash(l.addr, who[i]);
		tlog_key_hash(l.x25519, pk);
		tlog_key_hash(l.ed25519, pk);
		tlog_leaf_encode(raw[i], &l);
		tlog_leaf_hash(lh[i], raw[i], TLOG_LEAF_LEN);
	}
	memset(pk, 0x41, 32);
	b64u_encode(pk_out, 44, pk, 32);
	tlog_node_hash(ab, lh[0], lh[1]);
	tlog_node_hash(root, ab, lh[2]);
	snprintf(cp.origin, sizeof(cp.origin), "%s", signer->v.name);
	memcpy(cp.root, root, 32);
	if (tlog_checkpoint_sign(signer, &cp, note, sizeof(note)) < 0)
		return NULL;
	/* Leaf 1 of 3: its sibling leaf 0, then leaf 2. */
	proof = json_array();
	b64u_encode(h, sizeof(h), lh[0], 32);
	json_array_append_new(proof, json_string(h));
	b64u_encode(h, sizeof(h), lh[2], 32);
	json_array_append_new(proof, json_string(h));
	b64u_encode(b64, sizeof(b64), raw[1], TLOG_LEAF_LEN);
	return json_pack("{s:i,s:s,s:o,s:s}", "index", 1, "leaf", b64, "proof",
	    proof, "checkpoint", note);
}

static enum ktproof_status
run(const json_t *m, const char *email, const char *x, const char *ed,
    const struct tlog_verifier *v)
{
	struct ktproof *p = xcalloc(1, sizeof(*p));
	enum ktproof_status st = ktproof_parse(m, p);

	if (st == KTPROOF_OK)
		st = ktproof_match(p, email, x, ed);
	if (st == KTPROOF_OK)
		st = ktproof_check(v, p);
	free(p);
	return st;
}

TEST(ktproof_accepts_the_logged_key_and_nothing_else)
{
	char pk[44], other[44];
	unsigned char raw[32];
	json_t *m, *bad;

	memset(raw, 0x42, 32);
	b64u_encode(other, sizeof(other), raw, 32);
	REQUIRE((m = member(&log_key, pk)) != NULL);
	CHECK(run(m, "b@org.nl", pk, pk, &log_key.v) == KTPROOF_OK);
	CHECK(run(m, "b@org.nl", pk, NULL, &log_key.v) == KTPROOF_OK);
	/* Another address, another key, no key at all. */
	CHECK(run(m, "a@org.nl", pk, NULL, &log_key.v) == KTPROOF_KEY_MISMATCH);
	CHECK(run(m, "b@org.nl", other, NULL, &log_key.v) ==
	    KTPROOF_KEY_MISMATCH);
	CHECK(
	    run(m, "b@org.nl", pk, other, &log_key.v) == KTPROOF_KEY_MISMATCH);
	CHECK(
	    run(m, "b@org.nl", NULL, NULL, &log_key.v) == KTPROOF_KEY_MISMATCH);
	/* No member: the key has no entry. */
	CHECK(
	    run(NULL, "b@org.nl", pk, NULL, &log_key.v) == KTPROOF_NOT_LOGGED);
	bad = json_null();
	CHECK(run(bad, "b@org.nl", pk, NULL, &log_key.v) == KTPROOF_NOT_LOGGED);
	json_decref(bad);
	/* A head of another key. */
	CHECK(run(m, "b@org.nl", pk, NULL, &other_key.v) == KTPROOF_BAD_HEAD);
	/* Another index, a proof cut short, a hash changed. */
	bad = json_deep_copy(m);
	json_object_set_new(bad, "index", json_integer(2));
	CHECK(
	    run(bad, "b@org.nl", pk, NULL, &log_key.v) == KTPROOF_NOT_INCLUDED);
	json_decref(bad);
	bad = json_deep_copy(m);
	json_array_remove(json_object_get(bad, "proof"), 1);
	CHECK(
	    run(bad, "b@org.nl", pk, NULL, &log_key.v) == KTPROOF_NOT_INCLUDED);
	json_decref(bad);
	bad = json_deep_copy(m);
	json_array_set_new(
	    json_object_get(bad, "proof"), 0, json_string(other));
	CHECK(
	    run(bad, "b@org.nl", pk, NULL, &log_key.v) == KTPROOF_NOT_INCLUDED);
	json_decref(bad);
	/* Malformed members. */
	bad = json_deep_copy(m);
	json_object_set_new(bad, "index", json_integer(-1));
	CHECK(run(bad, "b@org.nl", pk, NULL, &log_key.v) == KTPROOF_MALFORMED);
	json_object_set_new(bad, "index", json_string("1"));
	CHECK(run(bad, "b@org.nl", pk, NULL, &log_key.v) == KTPROOF_MALFORMED);
	json_decref(bad);
	bad = json_deep_copy(m);
	json_object_set_new(bad, "leaf", json_string("AAAA"));
	CHECK(run(bad, "b@org.nl", pk, NULL, &log_key.v) == KTPROOF_MALFORMED);
	json_decref(bad);
	json_decref(m);
}

TEST(ktproof_key_id_is_the_leafs)
{
	struct ktproof *p = xcalloc(1, sizeof(*p));
	unsigned char raw[32], h[32];
	char pk[44], kid[32], other[32];
	json_t *m;

	REQUIRE((m = member(&log_key, pk)) != NULL);
	REQUIRE(ktproof_parse(m, p) == KTPROOF_OK);
	REQUIRE(b64u_decode(raw, sizeof(raw), pk, strlen(pk)) == 32);
	tlog_key_hash(h, raw);
	b64u_encode(kid, sizeof(kid), h, 16);
	CHECK(ktproof_match_key_id(p, kid) == KTPROOF_OK);
	/* The id of another key (leaf 0's), a truncated one, none. */
	memset(raw, 0x40, 32);
	tlog_key_hash(h, raw);
	b64u_encode(other, sizeof(other), h, 16);
	CHECK(ktproof_match_key_id(p, other) == KTPROOF_KEY_MISMATCH);
	kid[20] = '\0';
	CHECK(ktproof_match_key_id(p, kid) == KTPROOF_KEY_MISMATCH);
	CHECK(ktproof_match_key_id(p, "") == KTPROOF_KEY_MISMATCH);
	CHECK(ktproof_match_key_id(p, NULL) == KTPROOF_KEY_MISMATCH);
	json_decref(m);
	free(p);
}

__attribute__((constructor)) static void
keys(void)
{
	if (sodium_init() < 0 ||
	    tlog_signer_generate(&log_key, "unit.example/kt") != 0 ||
	    tlog_signer_generate(&other_key, "unit.example/kt") != 0)
		abort();
}
