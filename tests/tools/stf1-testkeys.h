/*
 * Checks of tests/vectors/stanzas.json and manifest.json, and of a whole
 * vector directory; part of stf1-testlib.h (see there).
 */
#ifndef ST_STF1_TESTKEYS_H
#define ST_STF1_TESTKEYS_H

static int
tl_check_x25519(const json_t *v)
{
	unsigned char rsk[32], rpk[32], esk[32], epk[32], k[32], id[16],
	    mid[16], st[STANZA_X25519_LEN], back[32];

	if (tl_unhex(rsk, 32, tl_str(v, "recipient_sk")) != 0 ||
	    tl_unhex(esk, 32, tl_str(v, "eph_sk")) != 0 ||
	    tl_unhex(k, 32, tl_str(v, "K")) != 0 ||
	    tl_unhex(mid, 16, tl_str(v, "msg_id")) != 0 ||
	    stanza_x25519_public(rpk, rsk) != 0 ||
	    stanza_x25519_public(epk, esk) != 0 || keyid_compute(id, rpk) != 0)
		return -1;
	if (!tl_hex_eq(v, "recipient_pk", rpk, 32) ||
	    !tl_hex_eq(v, "eph_pk", epk, 32) ||
	    !tl_hex_eq(v, "recipient_key_id", id, 16) ||
	    stanza_x25519_wrap_eph(st, k, mid, rpk, esk) != STF1_OK ||
	    !tl_hex_eq(v, "stanza", st, sizeof(st)) ||
	    stanza_x25519_unwrap(back, st, mid, rsk) != STF1_OK ||
	    memcmp(back, k, 32) != 0)
		return -1;
	return 0;
}

static int
tl_check_x25519_negative(const json_t *v)
{
	unsigned char sk[32], pk[32], k[32], mid[16], st[STANZA_X25519_LEN];
	const char *op = tl_str(v, "op");
	enum stf1_err err;

	if (op == NULL || tl_unhex(mid, 16, tl_str(v, "msg_id")) != 0)
		return -1;
	if (strcmp(op, "wrap") == 0) {
		if (tl_unhex(pk, 32, tl_str(v, "recipient_pk")) != 0 ||
		    tl_unhex(sk, 32, tl_str(v, "eph_sk")) != 0 ||
		    tl_unhex(k, 32, tl_str(v, "K")) != 0)
			return -1;
		err = stanza_x25519_wrap_eph(st, k, mid, pk, sk);
	} else {
		if (tl_unhex(sk, 32, tl_str(v, "recipient_sk")) != 0 ||
		    tl_unhex(st, sizeof(st), tl_str(v, "stanza")) != 0)
			return -1;
		err = stanza_x25519_unwrap(k, st, mid, sk);
	}
	return strcmp(stf1_err_name(err),
	           tl_str(v, "expect") ? tl_str(v, "expect") : "") == 0 ?
	    0 :
	    -1;
}

static int
tl_check_link(const json_t *v)
{
	unsigned char s[32], r[32], mid[16], k[32], a[32], h[32], lwk[32],
	    st[STANZA_LINK_LEN], back[32];

	if (tl_unhex(s, 32, tl_str(v, "S")) != 0 ||
	    tl_unhex(r, 32, tl_str(v, "R_srv")) != 0 ||
	    tl_unhex(mid, 16, tl_str(v, "msg_id")) != 0 ||
	    tl_unhex(k, 32, tl_str(v, "K")) != 0 ||
	    kdf_link_auth(a, s, mid) != 0 ||
	    kdf_link_wrap_key(lwk, s, r, mid) != 0)
		return -1;
	tl_sha256(h, a, 32);
	if (!tl_hex_eq(v, "link_auth", a, 32) ||
	    !tl_hex_eq(v, "link_auth_sha256", h, 32) ||
	    !tl_hex_eq(v, "LWK", lwk, 32) ||
	    stanza_link_wrap(st, k, mid, s, r) != STF1_OK ||
	    !tl_hex_eq(v, "stanza", st, sizeof(st)) ||
	    stanza_link_unwrap(back, st, mid, s, r) != STF1_OK ||
	    memcmp(back, k, 32) != 0)
		return -1;
	/* A flipped tag bit must not open. */
	st[STANZA_LINK_LEN - 1] ^= 1;
	return stanza_link_unwrap(back, st, mid, s, r) == STF1_ERR_STANZA_AUTH ?
	    0 :
	    -1;
}

static int
tl_check_derivation(const json_t *v)
{
	unsigned char k[32], mid[16], salt[32], mk[32], fk[32], hk[32];

	if (tl_unhex(k, 32, tl_str(v, "K")) != 0 ||
	    tl_unhex(mid, 16, tl_str(v, "msg_id")) != 0 ||
	    tl_unhex(salt, 32, tl_str(v, "salt")) != 0 ||
	    kdf_manifest_key(mk, k, mid) != 0 ||
	    kdf_file_keys(
	        fk, hk, k, mid, (uint32_t)tl_u64(v, "file_index"), salt) != 0)
		return -1;
	return tl_hex_eq(v, "MK", mk, 32) && tl_hex_eq(v, "FK", fk, 32) &&
	        tl_hex_eq(v, "HK", hk, 32) ?
	    0 :
	    -1;
}

static int
tl_check_key_id(const json_t *v)
{
	unsigned char pk[32], id[16];
	char words[KEYID_WORDS_MAX], b64[32];

	if (tl_unhex(pk, 32, tl_str(v, "pk")) != 0 ||
	    keyid_compute(id, pk) != 0 ||
	    keyid_words(words, sizeof(words), id) != 0)
		return -1;
	b64u_encode(b64, sizeof(b64), id, sizeof(id));
	return tl_hex_eq(v, "key_id", id, 16) && tl_str(v, "words") != NULL &&
	        strcmp(tl_str(v, "words"), words) == 0 &&
	        tl_str(v, "key_id_b64u") != NULL &&
	        strcmp(tl_str(v, "key_id_b64u"), b64) == 0 ?
	    0 :
	    -1;
}

/* Runs fn over every element of doc[key], noting each. */
static void
tl_each(struct tl_report *r, const json_t *doc, const char *file,
    const char *key, int (*fn)(const json_t *))
{
	const json_t *v;
	size_t i;

	json_array_foreach(json_object_get(doc, key), i, v) tl_note(r, file,
	    tl_str(v, "name") ? tl_str(v, "name") : key, fn(v) == 0, "differs");
}

static void
tl_check_manifest(struct tl_report *r, const json_t *doc)
{
	unsigned char k[32], mid[16], seed[32], nonce[12], *sealed = NULL,
	                                                   *want = NULL;
	const json_t *m = json_object_get(doc, "manifest"), *v;
	json_t *copy = NULL, *opened = NULL;
	char *c = NULL, *h = NULL;
	size_t len, slen, i, n;
	int ok;

	ok = tl_unhex(k, 32, tl_str(doc, "K")) == 0 &&
	    tl_unhex(mid, 16, tl_str(doc, "msg_id")) == 0 &&
	    tl_unhex(seed, 32, tl_str(doc, "sign_seed")) == 0 &&
	    tl_unhex(nonce, 12, tl_str(doc, "nonce")) == 0 && m != NULL &&
	    manifest_canonical(m, 1, &c, &len) == STF1_OK &&
	    tl_hex_eq(doc, "canonical_unsigned_hex", (unsigned char *)c, len);
	tl_note(r, "manifest.json", "canonical_unsigned", ok, "differs");
	free(c);
	copy = json_deep_copy(m);
	ok = ok && manifest_sign(copy, seed) == STF1_OK &&
	    json_equal(copy, m) && manifest_verify(m) == STF1_OK;
	tl_note(r, "manifest.json", "signature", ok, "differs");
	ok = ok && manifest_seal(&sealed, &slen, m, k, mid, nonce) == STF1_OK &&
	    tl_hex_eq(doc, "sealed_hex", sealed, slen) &&
	    manifest_open(&opened, sealed, slen, k, mid) == STF1_OK &&
	    json_equal(opened, m);
	tl_note(r, "manifest.json", "sealed", ok, "differs");
	json_array_foreach(json_object_get(doc, "negative"), i, v)
	{
		h = (char *)(uintptr_t)tl_str(v, "sealed_hex");
		n = h ? strlen(h) / 2 : 0;
		want = xmalloc(n + 1);
		json_decref(opened);
		opened = NULL;
		ok = h != NULL && tl_unhex(want, n, h) == 0 &&
		    tl_str(v, "expect") != NULL &&
		    strcmp(
		        stf1_err_name(manifest_open(&opened, want, n, k, mid)),
		        tl_str(v, "expect")) == 0;
		tl_note(r, "manifest.json", tl_str(v, "name"), ok, "differs");
		free(want);
	}
	free(sealed);
	json_decref(copy);
	json_decref(opened);
}

static json_t *
tl_load(const char *dir, const char *name)
{
	char path[4096];
	json_error_t err;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path))
		return NULL;
	return json_load_file(path, JSON_REJECT_DUPLICATES, &err);
}

/* Checks every vector in dir; the tallies go into r. */
TL_UNUSED static void
tl_check_dir(struct tl_report *r, const char *dir)
{
	json_t *stf1 = tl_load(dir, "stf1.json"), *neg, *st, *man;
	const json_t *pos = json_object_get(stf1, "positive"), *v;
	char why[128];
	size_t i;

	neg = tl_load(dir, "negative.json");
	st = tl_load(dir, "stanzas.json");
	man = tl_load(dir, "manifest.json");
	tl_note(r, dir, "files", stf1 && neg && st && man, "cannot load");
	json_array_foreach(pos, i, v) tl_note(r, "stf1.json", tl_str(v, "name"),
	    tl_check_positive(v, why, sizeof(why)) == 0, why);
	json_array_foreach(json_object_get(neg, "negative"), i, v)
	    tl_note(r, "negative.json", tl_str(v, "name"),
	        tl_check_negative(v, pos, why, sizeof(why)) == 0, why);
	tl_each(r, st, "stanzas.json", "x25519", tl_check_x25519);
	tl_each(
	    r, st, "stanzas.json", "x25519_negative", tl_check_x25519_negative);
	tl_each(r, st, "stanzas.json", "link", tl_check_link);
	tl_each(r, st, "stanzas.json", "derivations", tl_check_derivation);
	tl_each(r, st, "stanzas.json", "key_ids", tl_check_key_id);
	if (man != NULL)
		tl_check_manifest(r, man);
	json_decref(stf1);
	json_decref(neg);
	json_decref(st);
	json_decref(man);
}

#endif
