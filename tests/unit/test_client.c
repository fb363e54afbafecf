/*
 * Tests for src/client, the pieces of the CLI that can be tested alone:
 * the account derivations against tests/vectors/account.json (the
 * browser's own known answers), the KDF floor, file names from hostile
 * manifests, and the receive-target parser.
 */
#include "unit.h"

#include <jansson.h>
#include <sodium.h>

#include "../tools/stf1-testlib.h"
#include "client/acct.h"
#include "client/link.h"
#include "client/names.h"

static int
hexfield(const json_t *o, const char *key, unsigned char *out, size_t n)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL && strlen(s) == 2 * n ? tl_unhex(out, n, s) : -1;
}

static int
b64field(const json_t *o, const char *key, unsigned char *out, size_t n)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL && b64u_decode(out, n, s, strlen(s)) == (long)n ? 0 :
	                                                                   -1;
}

TEST(client_account_vectors)
{
	json_t *v = json_load_file("tests/vectors/account.json", 0, NULL);
	json_t *in = json_object_get(v, "input"),
	       *ex = json_object_get(v, "expected");
	unsigned char uid[16], salt[16], mpk[32], want[32], auth[32], kek[32];
	unsigned char uk[32], wuk[60], wx[76], wed[76], xpk[32], edpk[32];
	unsigned char sk[32], seed[32];
	struct acct_kdf kdf;
	char b64[64];

	REQUIRE(v != NULL);
	REQUIRE(acct_kdf_check(json_object_get(in, "kdf"), &kdf) == 0);
	REQUIRE(hexfield(in, "user_id", uid, 16) == 0);
	REQUIRE(hexfield(in, "salt", salt, 16) == 0);
	/* "Café ... ✓": the NFC step runs on non-ASCII input. */
	REQUIRE(
	    acct_mpk(mpk, json_string_value(json_object_get(in, "password")),
	        salt, &kdf) == 0);
	REQUIRE(hexfield(ex, "mpk", want, 32) == 0);
	CHECK(memcmp(mpk, want, 32) == 0);
	REQUIRE(acct_password_keys(auth, kek, mpk, uid) == 0);
	b64u_encode(b64, sizeof(b64), auth, 32);
	CHECK(strcmp(b64, json_string_value(json_object_get(ex, "auth_key"))) ==
	    0);
	REQUIRE(b64field(ex, "wrapped_uk_pw", wuk, 60) == 0);
	REQUIRE(acct_unwrap_uk(uk, kek, wuk, uid) == 0);
	REQUIRE(hexfield(in, "uk", want, 32) == 0);
	CHECK(memcmp(uk, want, 32) == 0);
	REQUIRE(b64field(ex, "x25519_pk", xpk, 32) == 0);
	REQUIRE(b64field(ex, "ed25519_pk", edpk, 32) == 0);
	REQUIRE(b64field(ex, "wrapped_x25519_sk", wx, 76) == 0);
	REQUIRE(b64field(ex, "wrapped_ed25519_sk", wed, 76) == 0);
	REQUIRE(acct_unwrap_sk(sk, uk, wx, 76, uid, xpk, "X25519") == 0);
	REQUIRE(hexfield(in, "x25519_seed", want, 32) == 0);
	CHECK(memcmp(sk, want, 32) == 0);
	REQUIRE(acct_unwrap_sk(seed, uk, wed, 76, uid, edpk, "Ed25519") == 0);
	REQUIRE(hexfield(in, "ed25519_seed", want, 32) == 0);
	CHECK(memcmp(seed, want, 32) == 0);
	/* Bound to the public key and the algorithm. */
	CHECK(acct_unwrap_sk(sk, uk, wx, 76, uid, edpk, "X25519") == -1);
	CHECK(acct_unwrap_sk(sk, uk, wx, 76, uid, xpk, "Ed25519") == -1);
	wuk[20] ^= 1;
	CHECK(acct_unwrap_uk(uk, kek, wuk, uid) == -1);
	json_decref(v);
}

TEST(client_account_unlock_checks_the_published_keys)
{
	json_t *v = json_load_file("tests/vectors/account.json", 0, NULL);
	json_t *in = json_object_get(v, "input"),
	       *ex = json_object_get(v, "expected");
	unsigned char uid[16], salt[16], mpk[32], kek[32];
	struct acct_kdf kdf;
	struct acct_keys k;
	const char *why;
	char id[32];
	json_t *answer;

	REQUIRE(v != NULL);
	REQUIRE(hexfield(in, "user_id", uid, 16) == 0);
	REQUIRE(hexfield(in, "salt", salt, 16) == 0);
	REQUIRE(acct_kdf_check(json_object_get(in, "kdf"), &kdf) == 0);
	REQUIRE(
	    acct_mpk(mpk, json_string_value(json_object_get(in, "password")),
	        salt, &kdf) == 0);
	REQUIRE(acct_password_keys(NULL, kek, mpk, uid) == 0);
	b64u_encode(id, sizeof(id), uid, 16);
	answer = json_pack("{s:{s:s,s:O},s:{s:O,s:O,s:O,s:O,s:O}}", "user",
	    "id", id, "key_id", json_object_get(ex, "key_id"), "keys",
	    "wrapped_uk_pw", json_object_get(ex, "wrapped_uk_pw"), "x25519_pk",
	    json_object_get(ex, "x25519_pk"), "ed25519_pk",
	    json_object_get(ex, "ed25519_pk"), "wrapped_x25519_sk",
	    json_object_get(ex, "wrapped_x25519_sk"), "wrapped_ed25519_sk",
	    json_object_get(ex, "wrapped_ed25519_sk"));
	REQUIRE(answer != NULL);
	CHECK(acct_unlock(&k, answer, kek, &why) == 0);
	CHECK(strcmp(k.user_id, id) == 0);
	/* A server that names another key id: key_changed. */
	json_object_set_new(json_object_get(answer, "user"), "key_id",
	    json_string(
	        json_string_value(json_object_get(ex, "ed25519_key_id"))));
	CHECK(acct_unlock(&k, answer, kek, &why) == -1);
	CHECK(strcmp(why, "key_changed") == 0);
	/* Another password: wrong_password. */
	kek[0] ^= 1;
	json_object_set(json_object_get(answer, "user"), "key_id",
	    json_object_get(ex, "key_id"));
	CHECK(acct_unlock(&k, answer, kek, &why) == -1);
	CHECK(strcmp(why, "wrong_password") == 0);
	json_decref(answer);
	json_decref(v);
}

TEST(client_kdf_floor)
{
	static const char *const bad[] = {
		"{\"alg\":\"argon2id\",\"m\":65535,\"t\":3,\"p\":1}",
		"{\"alg\":\"argon2id\",\"m\":65536,\"t\":2,\"p\":1}",
		"{\"alg\":\"argon2id\",\"m\":65536,\"t\":3,\"p\":2}",
		"{\"alg\":\"argon2i\",\"m\":65536,\"t\":3,\"p\":1}",
		"{\"alg\":\"argon2id\",\"m\":4194305,\"t\":3,\"p\":1}",
		"{\"alg\":\"argon2id\",\"m\":65536,\"t\":65,\"p\":1}",
		"{\"alg\":\"argon2id\",\"m\":65536.0,\"t\":3,\"p\":1}",
		"{\"m\":65536,\"t\":3,\"p\":1}",
		"[]",
	};
	struct acct_kdf k;
	json_t *j;
	size_t i;

	for (i = 0; i < ST_ARRAY_LEN(bad); i++) {
		j = json_loads(bad[i], 0, NULL);
		CHECK(acct_kdf_check(j, &k) == -1);
		json_decref(j);
	}
	j = json_loads(
	    "{\"alg\":\"argon2id\",\"m\":131072,\"t\":4,\"p\":1}", 0, NULL);
	CHECK(acct_kdf_check(j, &k) == 0 && k.m == 131072 && k.t == 4);
	json_decref(j);
}

static int
safe_is(const char *raw, size_t len, const char *want)
{
	char out[NAMES_MAX + 1];

	names_safe(raw, len, out);
	if (strcmp(out, want) != 0)
		fprintf(
		    stderr, "  names_safe: got '%s', want '%s'\n", out, want);
	return strcmp(out, want) == 0;
}

#define SAFE(raw, want) safe_is(raw, sizeof(raw) - 1, want)

TEST(client_names_safe_as_the_browser)
{
	/* The cases of tests/browser/receive-lib.test.mjs (names.js). */
	CHECK(SAFE("../../etc/passwd", "passwd"));
	CHECK(SAFE("../../etc/x", "x"));
	CHECK(SAFE("..\\..\\Windows\\system32\\evil.dll", "evil.dll"));
	CHECK(SAFE("C:evil.txt", "evil.txt"));
	CHECK(SAFE("C:\\Users\\x\\nota.pdf", "nota.pdf"));
	CHECK(SAFE("/abs/path/brief.txt", "brief.txt"));
	CHECK(SAFE("..", "document"));
	CHECK(SAFE(".", "document"));
	CHECK(SAFE("", "document"));
	CHECK(SAFE("...hidden", "hidden"));
	CHECK(SAFE("rapport\xe2\x80\xae"
	           "fdp.exe",
	    "rapportfdp.exe"));
	CHECK(SAFE("a\0b\x1f"
	           "c\x7f.txt",
	    "abc.txt"));
	CHECK(SAFE("zero\xe2\x80\x8bwidth.pdf", "zerowidth.pdf"));
	CHECK(SAFE("CON", "_CON"));
	CHECK(SAFE("nul.txt", "_nul.txt"));
	CHECK(SAFE("com1.pdf", "_com1.pdf"));
	CHECK(SAFE("LPT9", "_LPT9"));
	CHECK(SAFE("console.txt", "console.txt"));
	CHECK(SAFE("what?<>|*\".pdf", "what______.pdf"));
	CHECK(SAFE("trailing. . ", "trailing"));
	CHECK(SAFE("Cafe\xcc\x81.txt", "Caf\xc3\xa9.txt"));
	CHECK(SAFE("bad\xff\xfe utf8.txt", "bad utf8.txt"));
	CHECK(SAFE("dir/..", "document"));
}

TEST(client_names_long_unique_and_send)
{
	char raw[800], out[NAMES_MAX + 1];
	char names[6][NAMES_MAX + 1] = { "a.pdf", "A.pdf", "a.pdf", "a.pdf",
		"b", "b" };
	size_t i;

	for (i = 0; i < 300; i++)
		memcpy(raw + 2 * i, "\xc3\xa9", 2);
	memcpy(raw + 600, ".pdf", 5);
	names_safe(raw, strlen(raw), out);
	CHECK(strlen(out) <= NAMES_MAX);
	CHECK(strcmp(out + strlen(out) - 4, ".pdf") == 0);
	names_unique(names, 6);
	CHECK(strcmp(names[0], "a.pdf") == 0);
	CHECK(strcmp(names[1], "A (2).pdf") == 0);
	CHECK(strcmp(names[2], "a (3).pdf") == 0);
	CHECK(strcmp(names[3], "a (4).pdf") == 0);
	CHECK(strcmp(names[5], "b (2)") == 0);
	names_send("/home/x/rapport: concept .pdf. ", 31, out);
	CHECK(strcmp(out, "rapport_ concept .pdf") == 0);
	names_send("/tmp/aux.txt", 12, out);
	CHECK(strcmp(out, "_aux.txt") == 0);
	names_send("/tmp/..", 7, out);
	CHECK(strcmp(out, "document") == 0);
}

TEST(client_link_parse)
{
	static const char s43[] = "3LTi9ybGVAR95iPTpv6RT1VCiz-tAvFtB-8_iib3peE";
	static const char id[] = "1f1hccthDTckAhNU5wKbAg";
	struct link l;
	const char *why;
	char in[300];

	snprintf(in, sizeof(in), "https://st.example.nl/r/%s#%s", id, s43);
	REQUIRE(link_parse(in, strlen(in), &l, &why) == 0);
	CHECK(l.kind == LINK_SECRET);
	CHECK(strcmp(l.base, "https://st.example.nl") == 0);
	CHECK(strcmp(l.id, id) == 0);
	snprintf(
	    in, sizeof(in), " <http://127.0.0.1:8080/st/r/%s%%23%s> ", id, s43);
	REQUIRE(link_parse(in, strlen(in), &l, &why) == 0);
	CHECK(strcmp(l.base, "http://127.0.0.1:8080/st") == 0);
	CHECK(link_parse(id, strlen(id), &l, &why) == 0 && l.kind == LINK_ID &&
	    l.base[0] == '\0');
	snprintf(in, sizeof(in), "https://h/berichten/%s/rapport", id);
	CHECK(link_parse(in, strlen(in), &l, &why) == 0 && l.kind == LINK_ID);
	/* Refused: no secret, a short secret, trailing bytes, user info,
	 * other schemes, a path with a query before /r/. */
	snprintf(in, sizeof(in), "https://h/r/%s", id);
	CHECK(link_parse(in, strlen(in), &l, &why) == -1);
	snprintf(in, sizeof(in), "https://h/r/%s#abc", id);
	CHECK(link_parse(in, strlen(in), &l, &why) == -1);
	snprintf(in, sizeof(in), "https://h/r/%s#%sX", id, s43);
	CHECK(link_parse(in, strlen(in), &l, &why) == -1);
	snprintf(in, sizeof(in), "https://u@h/r/%s#%s", id, s43);
	CHECK(link_parse(in, strlen(in), &l, &why) == -1);
	snprintf(in, sizeof(in), "file:///r/%s#%s", id, s43);
	CHECK(link_parse(in, strlen(in), &l, &why) == -1);
	snprintf(in, sizeof(in), "https://h/x?y/r/%s#%s", id, s43);
	CHECK(link_parse(in, strlen(in), &l, &why) == -1);
	CHECK(link_parse("x", 1, &l, &why) == -1);
}
