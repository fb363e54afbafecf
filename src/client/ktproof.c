/* A served key's log entry; see ktproof.h. */
#include "util/common.h"

#include <sodium.h>

#include "client/ktproof.h"
#include "util/rand.h"

int
ktproof_hashes(const json_t *arr, unsigned char (*out)[TLOG_HASH_LEN])
{
	const json_t *h;
	const char *s;
	size_t i;

	if (!json_is_array(arr) || json_array_size(arr) > TLOG_MAX_PROOF)
		return -1;
	json_array_foreach(arr, i, h)
	{
		if ((s = json_string_value(h)) == NULL ||
		    b64u_decode(out[i], TLOG_HASH_LEN, s, strlen(s)) !=
		        TLOG_HASH_LEN)
			return -1;
	}
	return (int)json_array_size(arr);
}

/* 1 if the b64u public key pk hashes to want. */
static int
key_is(const char *pk, const unsigned char want[32])
{
	unsigned char raw[32], h[32];

	if (b64u_decode(raw, sizeof(raw), pk, strlen(pk)) != 32)
		return 0;
	tlog_key_hash(h, raw);
	return sodium_memcmp(h, want, 32) == 0;
}

enum ktproof_status
ktproof_parse(const json_t *log, struct ktproof *out)
{
	unsigned char raw[TLOG_LEAF_LEN];
	const json_t *idx = json_object_get(log, "index");
	const char *leaf = json_string_value(json_object_get(log, "leaf"));
	const char *note = json_string_value(
	    json_object_get(log, "checkpoint"));
	int n;

	memset(out, 0, sizeof(*out));
	if (log == NULL || json_is_null(log))
		return KTPROOF_NOT_LOGGED;
	if (!json_is_object(log) || !json_is_integer(idx) ||
	    json_integer_value(idx) < 0 || leaf == NULL || note == NULL ||
	    b64u_decode(raw, sizeof(raw), leaf, strlen(leaf)) !=
	        TLOG_LEAF_LEN ||
	    tlog_leaf_decode(&out->leaf, raw, sizeof(raw)) == -1 ||
	    (n = ktproof_hashes(json_object_get(log, "proof"), out->proof)) < 0)
		return KTPROOF_MALFORMED;
	out->index = (uint64_t)json_integer_value(idx);
	out->n = (size_t)n;
	out->note = note;
	out->note_len = json_string_length(json_object_get(log, "checkpoint"));
	tlog_leaf_hash(out->leaf_hash, raw, sizeof(raw));
	return KTPROOF_OK;
}

enum ktproof_status
ktproof_match(const struct ktproof *p, const char *email, const char *x25519_pk,
    const char *ed25519_pk)
{
	unsigned char addr[32];

	if (email == NULL || (x25519_pk == NULL && ed25519_pk == NULL))
		return KTPROOF_KEY_MISMATCH;
	tlog_address_hash(addr, email);
	if (sodium_memcmp(addr, p->leaf.addr, 32) != 0 ||
	    (x25519_pk != NULL && !key_is(x25519_pk, p->leaf.x25519)) ||
	    (ed25519_pk != NULL && !key_is(ed25519_pk, p->leaf.ed25519)))
		return KTPROOF_KEY_MISMATCH;
	return KTPROOF_OK;
}

enum ktproof_status
ktproof_match_key_id(const struct ktproof *p, const char *key_id)
{
	unsigned char kid[16];

	if (key_id == NULL ||
	    b64u_decode(kid, sizeof(kid), key_id, strlen(key_id)) !=
	        (long)sizeof(kid) ||
	    sodium_memcmp(kid, p->leaf.x25519, sizeof(kid)) != 0)
		return KTPROOF_KEY_MISMATCH;
	return KTPROOF_OK;
}

enum ktproof_status
ktproof_check(const struct tlog_verifier *v, struct ktproof *p)
{
	if (tlog_checkpoint_open(v, p->note, p->note_len, &p->cp) !=
	    TLOG_NOTE_OK)
		return KTPROOF_BAD_HEAD;
	return tlog_verify_inclusion(p->leaf_hash, p->index, p->cp.size,
	           p->proof[0], p->n, p->cp.root) == 0 ?
	    KTPROOF_OK :
	    KTPROOF_NOT_INCLUDED;
}

const char *
ktproof_status_name(enum ktproof_status st)
{
	static const char *const names[] = { "ok", "not_logged", "malformed",
		"key_mismatch", "bad_head", "not_included" };

	return (unsigned)st < ST_ARRAY_LEN(names) ? names[st] : "unknown";
}
