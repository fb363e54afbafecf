/*
 * The stanza and manifest parts of stf1-vectors.c (included once from
 * there): stanzas.json and manifest.json.
 */
#ifndef ST_STF1_VECTORS_KEYS_H
#define ST_STF1_VECTORS_KEYS_H

/* An order-8 point of Curve25519 (u-coordinate), X25519 with it is 0. */
static const char order8_hex[] =
    "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800";

static json_t *
key_id_vector(const char *name, const unsigned char pk[32])
{
	unsigned char id[16];
	unsigned idx[KEYID_WORDS];
	char words[KEYID_WORDS_MAX];
	json_t *ix = json_array();
	int i;

	if (keyid_compute(id, pk) != 0 ||
	    keyid_words(words, sizeof(words), id) != 0)
		die("key id");
	keyid_word_indexes(idx, id);
	for (i = 0; i < KEYID_WORDS; i++)
		json_array_append_new(ix, json_integer(idx[i]));
	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:s}", "name", name, "pk",
	    jhex(pk, 32), "key_id", jhex(id, 16), "key_id_b64u", jb64u(id, 16),
	    "word_indexes", ix, "words", words);
}

static json_t *
x25519_negative(
    const char *name, const char *op, json_t *fields, const char *expect)
{
	json_object_set_new(fields, "name", json_string(name));
	json_object_set_new(fields, "op", json_string(op));
	json_object_set_new(fields, "expect", json_string(expect));
	return fields;
}

static json_t *
stanzas(void)
{
	unsigned char rsk[32], rpk[32], esk[32], epk[32], k[32], mid[16],
	    st[80], bad[80], o8[32], other[32], s[32], r[32], a[32], h[32],
	    lwk[32], lst[48], salt[32], mk[32], fk[32], hk[32], seed[32],
	    spk[32], rid[16], zero[32] = { 0 };
	json_t *neg;

	tl_derive(rsk, "x25519/recipient_sk");
	tl_derive(esk, "x25519/eph_sk");
	tl_derive(k, "x25519/K");
	derive_n(mid, 16, "x25519", "msg_id");
	tl_derive(other, "x25519/other_sk");
	if (tl_unhex(o8, 32, order8_hex) != 0 ||
	    stanza_x25519_public(rpk, rsk) != 0 ||
	    stanza_x25519_public(epk, esk) != 0 ||
	    keyid_compute(rid, rpk) != 0 ||
	    stanza_x25519_wrap_eph(st, k, mid, rpk, esk) != STF1_OK)
		die("x25519");
	neg = json_array();
	json_array_append_new(neg,
	    x25519_negative("wrap_to_zero_point", "wrap",
	        json_pack("{s:o, s:o, s:o, s:o}", "recipient_pk",
	            jhex(zero, 32), "eph_sk", jhex(esk, 32), "K", jhex(k, 32),
	            "msg_id", jhex(mid, 16)),
	        "zero_shared_secret"));
	json_array_append_new(neg,
	    x25519_negative("wrap_to_order8_point", "wrap",
	        json_pack("{s:o, s:o, s:o, s:o}", "recipient_pk", jhex(o8, 32),
	            "eph_sk", jhex(esk, 32), "K", jhex(k, 32), "msg_id",
	            jhex(mid, 16)),
	        "zero_shared_secret"));
	memcpy(bad, st, 80);
	memcpy(bad, o8, 32);
	json_array_append_new(neg,
	    x25519_negative("unwrap_order8_eph", "unwrap",
	        json_pack("{s:o, s:o, s:o}", "recipient_sk", jhex(rsk, 32),
	            "stanza", jhex(bad, 80), "msg_id", jhex(mid, 16)),
	        "zero_shared_secret"));
	memcpy(bad, st, 80);
	bad[79] ^= 0x01;
	json_array_append_new(neg,
	    x25519_negative("unwrap_flipped_tag", "unwrap",
	        json_pack("{s:o, s:o, s:o}", "recipient_sk", jhex(rsk, 32),
	            "stanza", jhex(bad, 80), "msg_id", jhex(mid, 16)),
	        "stanza_auth"));
	json_array_append_new(neg,
	    x25519_negative("unwrap_other_recipient", "unwrap",
	        json_pack("{s:o, s:o, s:o}", "recipient_sk", jhex(other, 32),
	            "stanza", jhex(st, 80), "msg_id", jhex(mid, 16)),
	        "stanza_auth"));
	json_array_append_new(neg,
	    x25519_negative("unwrap_other_msg_id", "unwrap",
	        json_pack("{s:o, s:o, s:o}", "recipient_sk", jhex(rsk, 32),
	            "stanza", jhex(st, 80), "msg_id", jhex(zero, 16)),
	        "stanza_auth"));

	tl_derive(s, "link/S");
	tl_derive(r, "link/R_srv");
	if (kdf_link_auth(a, s, mid) != 0 ||
	    kdf_link_wrap_key(lwk, s, r, mid) != 0 ||
	    stanza_link_wrap(lst, k, mid, s, r) != STF1_OK)
		die("link");
	tl_sha256(h, a, 32);

	tl_derive(salt, "derivation/salt");
	if (kdf_manifest_key(mk, k, mid) != 0 ||
	    kdf_file_keys(fk, hk, k, mid, 3, salt) != 0)
		die("derivation");
	tl_derive(seed, "manifest/sign_seed");
	if (ed25519_public(spk, seed) != 0)
		die("ed25519");

	return json_pack("{s:s, s:[{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
	                 "s:o}], s:o, s:[{s:s, s:o, s:o, s:o, s:o, s:o, s:o, "
	                 "s:o, s:o}], s:[{s:s, s:o, s:o, s:i, s:o, s:o, s:o, "
	                 "s:o}], s:[o, o, o, o]}",
	    "format", "stf1-stanzas/1", "x25519", "name", "recipient",
	    "recipient_sk", jhex(rsk, 32), "recipient_pk", jhex(rpk, 32),
	    "recipient_key_id", jhex(rid, 16), "eph_sk", jhex(esk, 32),
	    "eph_pk", jhex(epk, 32), "K", jhex(k, 32), "msg_id", jhex(mid, 16),
	    "stanza", jhex(st, 80), "x25519_negative", neg, "link", "name",
	    "link", "S", jhex(s, 32), "R_srv", jhex(r, 32), "msg_id",
	    jhex(mid, 16), "K", jhex(k, 32), "link_auth", jhex(a, 32),
	    "link_auth_sha256", jhex(h, 32), "LWK", jhex(lwk, 32), "stanza",
	    jhex(lst, 48), "derivations", "name", "file_3", "K", jhex(k, 32),
	    "msg_id", jhex(mid, 16), "file_index", 3, "salt", jhex(salt, 32),
	    "MK", jhex(mk, 32), "FK", jhex(fk, 32), "HK", jhex(hk, 32),
	    "key_ids", key_id_vector("x25519_recipient", rpk),
	    key_id_vector("x25519_eph", epk),
	    key_id_vector("ed25519_sender", spk),
	    key_id_vector("all_zero", zero));
}

/* Seals text as manifest_seal would, without its checks: for negatives. */
static json_t *
sealed_text(const char *name, const char *text, const unsigned char k[32],
    const unsigned char mid[16], const unsigned char nonce[12],
    const char *expect)
{
	unsigned char mk[32], aad[26 + 16], *buf;
	size_t len = strlen(text);
	json_t *v;

	buf = xmalloc(12 + len + 16);
	memcpy(buf, nonce, 12);
	memcpy(aad, "securetransfer/v1/manifest", 26);
	memcpy(aad + 26, mid, 16);
	if (kdf_manifest_key(mk, k, mid) != 0 ||
	    aead_seal(buf + 12, mk, nonce, aad, sizeof(aad),
	        (const unsigned char *)text, len) != 0)
		die("seal");
	v = json_pack("{s:s, s:o, s:s}", "name", name, "sealed_hex",
	    jhex(buf, 12 + len + 16), "expect", expect);
	free(buf);
	return v;
}

static json_t *
the_manifest(const unsigned char mid[16], const unsigned char spk[32])
{
	unsigned char uid[16], rsk[32], rpk[32], rid[16], h1[32], h2[32];

	derive_n(uid, 16, "manifest", "user_id");
	tl_derive(rsk, "x25519/recipient_sk");
	tl_derive(h1, "manifest/header_0");
	tl_derive(h2, "manifest/header_1");
	if (stanza_x25519_public(rpk, rsk) != 0 || keyid_compute(rid, rpk) != 0)
		die("manifest keys");
	/* Non-ASCII names in NFC: U+00DC, U+2013, CJK, emoji. */
	return json_pack("{s:i, s:o, s:s, s:{s:s, s:o, s:s, s:o}, s:{s:s, "
	                 "s:o}, s:s, s:s, s:s, s:[{s:i, s:s, s:I, s:s, s:o}, "
	                 "{s:i, s:s, s:I, s:s, s:o}]}",
	    "v", 1, "msg_id", jb64u(mid, 16), "created_at",
	    "2026-11-23T08:00:00Z", "sender", "kind", "account", "user_id",
	    jb64u(uid, 16), "address", "j.de.vries@gemeente.example", "sign_pk",
	    jb64u(spk, 32), "recipient", "address", "b@example.com", "key_id",
	    jb64u(rid, 16), "subject",
	    "\xc3\x9c"
	    "berweisung / Vertrag \xf0\x9f\x9a\x80",
	    "reference", "REF-2026/0042", "text",
	    "Hallo,\n\t\"zie bijlage\" \\ \xe2\x9c\x93\r\b\f", "files", "index",
	    0, "name",
	    "\xc3\x9c"
	    "berweisung \xe2\x80\x93 \xe5\xa5\x91\xe7\xb4\x84\xe6\x9b\xb8.pdf",
	    "size", (json_int_t)1234567, "mime", "application/pdf",
	    "header_sha256", jb64u(h1, 32), "index", 1, "name",
	    "foto \xf0\x9f\x93\xb7.jpg", "size", (json_int_t)0, "mime",
	    "image/jpeg", "header_sha256", jb64u(h2, 32));
}

static json_t *
manifest(void)
{
	unsigned char k[32], mid[16], seed[32], spk[32], nonce[12], mk[32],
	    *sealed, md[32];
	json_t *m, *neg, *bad;
	char *c, *u, *text;
	size_t clen, ulen, slen;

	tl_derive(k, "manifest/K");
	derive_n(mid, 16, "manifest", "msg_id");
	tl_derive(seed, "manifest/sign_seed");
	derive_n(nonce, 12, "manifest", "nonce");
	if (ed25519_public(spk, seed) != 0 || kdf_manifest_key(mk, k, mid) != 0)
		die("manifest");
	m = the_manifest(mid, spk);
	if (manifest_canonical(m, 1, &u, &ulen) != STF1_OK ||
	    manifest_sign(m, seed) != STF1_OK ||
	    manifest_canonical(m, 0, &c, &clen) != STF1_OK ||
	    manifest_seal(&sealed, &slen, m, k, mid, nonce) != STF1_OK)
		die("manifest seal");
	tl_sha256(md, u, ulen);
	neg = json_array();
	sealed[slen - 1] ^= 0x01;
	json_array_append_new(neg,
	    json_pack("{s:s, s:o, s:s}", "name", "flipped_tag", "sealed_hex",
	        jhex(sealed, slen), "expect", "manifest_auth"));
	sealed[slen - 1] ^= 0x01;
	bad = json_deep_copy(m);
	json_object_set_new(bad, "subject", json_string("changed"));
	text = json_dumps(bad, JSON_COMPACT | JSON_SORT_KEYS);
	json_array_append_new(neg,
	    sealed_text(
	        "changed_after_signing", text, k, mid, nonce, "signature"));
	free(text);
	json_object_set_new(bad, "subject", json_string("bell \x07"));
	text = json_dumps(bad, JSON_COMPACT | JSON_SORT_KEYS);
	json_array_append_new(neg,
	    sealed_text(
	        "control_character", text, k, mid, nonce, "manifest_invalid"));
	free(text);
	json_decref(bad);
	text = json_dumps(m, JSON_INDENT(1) | JSON_SORT_KEYS);
	json_array_append_new(neg,
	    sealed_text(
	        "not_canonical", text, k, mid, nonce, "manifest_invalid"));
	free(text);
	text = xmalloc(clen + 8);
	memcpy(text, "{\"v\":1,", 7);
	memcpy(text + 7, c + 1, clen);
	json_array_append_new(neg,
	    sealed_text(
	        "duplicate_key", text, k, mid, nonce, "manifest_invalid"));
	free(text);
	bad = json_deep_copy(m);
	json_object_set_new(bad, "extra", json_string(""));
	text = json_dumps(bad, JSON_COMPACT | JSON_SORT_KEYS);
	json_array_append_new(neg,
	    sealed_text(
	        "unknown_key", text, k, mid, nonce, "manifest_invalid"));
	free(text);
	json_decref(bad);
	bad = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
	                "s:o, s:o, s:o, s:o, s:o}",
	    "format", "stf1-manifest/1", "K", jhex(k, 32), "msg_id",
	    jhex(mid, 16), "MK", jhex(mk, 32), "sign_seed", jhex(seed, 32),
	    "sign_pk", jhex(spk, 32), "nonce", jhex(nonce, 12), "manifest", m,
	    "canonical_unsigned_hex", jhex((unsigned char *)u, ulen),
	    "canonical_unsigned_sha256", jhex(md, 32), "canonical_hex",
	    jhex((unsigned char *)c, clen), "sealed_hex", jhex(sealed, slen),
	    "negative", neg);
	free(c);
	free(u);
	free(sealed);
	return bad;
}

#endif
