/*
 * Tests for src/client/pins.c, the CLI's key gate (SECURITY.md 1.8): what
 * a served key must be to be read at all, each verdict of pins_check, the
 * self-check, and that the pin file is 0600 and survives a reload.
 */
#include "unit.h"

#include <jansson.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client/pins.h"
#include "envelope/keyid.h"
#include "util/rand.h"

struct served {
	char x[PINS_PK_LEN + 1], ed[PINS_PK_LEN + 1], kid[PINS_KID_LEN + 1];
};

static void
new_key(struct served *s)
{
	unsigned char pk[32], ed[32], id[KEYID_LEN];

	randombytes_buf(pk, sizeof(pk));
	randombytes_buf(ed, sizeof(ed));
	(void)keyid_compute(id, pk);
	b64u_encode(s->x, sizeof(s->x), pk, sizeof(pk));
	b64u_encode(s->ed, sizeof(s->ed), ed, sizeof(ed));
	b64u_encode(s->kid, sizeof(s->kid), id, sizeof(id));
}

static json_t *
answer(const char *email, const struct served *s)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s}", "email", email, "kind",
	    "account", "key_id", s->kid, "x25519_pk", s->x, "ed25519_pk",
	    s->ed);
}

static int
read_key(struct pins_key *k, json_t *doc)
{
	int rc = pins_key_read(k, doc);

	json_decref(doc);
	return rc;
}

TEST(pins_key_read_checks_the_answer)
{
	struct served a, b;
	struct pins_key k;

	new_key(&a);
	new_key(&b);
	REQUIRE(read_key(&k, answer("Jan@Org.NL", &a)) == 0);
	CHECK(strcmp(k.address, "jan@org.nl") == 0);
	CHECK(k.has_key && !k.mailbox);
	CHECK(strcmp(k.key_id, a.kid) == 0 && strcmp(k.sign_pk, a.ed) == 0);
	/* A key id that is not the key's. */
	memcpy(a.kid, b.kid, sizeof(a.kid));
	CHECK(read_key(&k, answer("jan@org.nl", &a)) == -1);
	/* No key: the link flow. */
	REQUIRE(read_key(&k,
	            json_pack("{s:s,s:s}", "email", "x@example.com", "kind",
	                "none")) == 0);
	CHECK(!k.has_key);
	REQUIRE(read_key(&k,
	            json_pack("{s:s,s:s,s:s}", "email", "x@org.nl", "kind",
	                "link", "key_id", b.kid)) == 0);
	CHECK(!k.has_key);
	/* Malformed answers. */
	CHECK(read_key(&k, json_pack("{s:s}", "kind", "account")) == -1);
	CHECK(read_key(&k,
	          json_pack("{s:s,s:s}", "email", "no-at", "kind", "none")) ==
	    -1);
	CHECK(read_key(&k,
	          json_pack("{s:s,s:s}", "email", "a b@org.nl", "kind",
	              "none")) == -1);
	CHECK(read_key(&k,
	          json_pack("{s:s,s:s}", "email", "a@org.nl", "key_id",
	              "short")) == -1);
	CHECK(read_key(&k,
	          json_pack("{s:s,s:s,s:s}", "email", "a@org.nl", "key_id",
	              b.kid, "ed25519_pk", "AAAA")) == -1);
	CHECK(read_key(&k, json_string("x")) == -1);
}

static char *
temp_pins(char dir[64])
{
	char *path = xmalloc(128);

	snprintf(dir, 64, "/tmp/st-pins-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return NULL;
	snprintf(path, 128, "%s/sub/pins.json", dir);
	return path;
}

TEST(pins_check_verdicts)
{
	char dir[64], old[PINS_KID_LEN + 1], *path = temp_pins(dir);
	struct served a, b;
	struct pins_key ka, kb, k;
	struct pins *p;
	struct stat st;

	REQUIRE(path != NULL);
	new_key(&a);
	new_key(&b);
	REQUIRE(read_key(&ka, answer("jan@org.nl", &a)) == 0);
	REQUIRE(read_key(&kb, answer("jan@org.nl", &b)) == 0);
	REQUIRE((p = pins_load(path)) != NULL);
	CHECK(pins_check(p, &ka, PINS_SEND, old) == PINS_NEW);
	CHECK(old[0] == '\0');
	REQUIRE(stat(path, &st) == 0);
	CHECK((st.st_mode & 0777) == 0600);
	CHECK(pins_check(p, &ka, PINS_SEND, NULL) == PINS_SAME);
	CHECK(pins_check(p, &kb, PINS_SEND, old) == PINS_CHANGED);
	CHECK(strcmp(old, a.kid) == 0);
	/* The same key id with another signing key: never the same. */
	k = ka;
	snprintf(k.sign_pk, sizeof(k.sign_pk), "%s", b.ed);
	CHECK(pins_check(p, &k, PINS_RECEIVE, NULL) == PINS_SIGN);
	/* No key served for a pinned address. */
	k.has_key = 0;
	CHECK(pins_check(p, &k, PINS_SEND, NULL) == PINS_REMOVED);
	snprintf(k.address, sizeof(k.address), "other@org.nl");
	CHECK(pins_check(p, &k, PINS_SEND, NULL) == PINS_NONE);
	/* Accepting moves the old key to prev: receive still knows it. */
	REQUIRE(pins_accept(p, &kb) == 0);
	CHECK(pins_check(p, &kb, PINS_SEND, NULL) == PINS_SAME);
	CHECK(pins_check(p, &ka, PINS_SEND, NULL) == PINS_CHANGED);
	CHECK(pins_check(p, &ka, PINS_RECEIVE, NULL) == PINS_SAME);
	pins_free(p);
	/* Reloaded from the file. */
	REQUIRE((p = pins_load(path)) != NULL);
	CHECK(pins_check(p, &kb, PINS_SEND, NULL) == PINS_SAME);
	CHECK(json_integer_value(
	          json_object_get(pins_get(p, "jan@org.nl"), "confirmed")) > 0);
	CHECK(pins_forget(p, "jan@org.nl") == 1);
	CHECK(pins_forget(p, "jan@org.nl") == 0);
	pins_free(p);
	REQUIRE((p = pins_load(path)) != NULL);
	CHECK(pins_get(p, "jan@org.nl") == NULL);
	pins_free(p);
	/* A file that is not a pin file is not used. */
	{
		FILE *f = fopen(path, "w");

		REQUIRE(f != NULL);
		fputs("{\"v\":2,\"pins\":{}}", f);
		fclose(f);
	}
	CHECK(pins_load(path) == NULL);
	unlink(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);
	rmdir(dir);
	free(path);
}

TEST(pins_check_own)
{
	struct served a, b;
	struct pins_key k;

	new_key(&a);
	new_key(&b);
	REQUIRE(read_key(&k, answer("me@org.nl", &a)) == 0);
	CHECK(pins_check_own(&k, a.kid, a.ed) == 0);
	CHECK(pins_check_own(&k, b.kid, a.ed) == -1);
	CHECK(pins_check_own(&k, a.kid, b.ed) == -1);
	k.has_key = 0;
	CHECK(pins_check_own(&k, a.kid, a.ed) == -1);
}

TEST(pins_words)
{
	unsigned char id[KEYID_LEN] = { 0 };
	char kid[PINS_KID_LEN + 1], w[KEYID_WORDS_MAX];

	b64u_encode(kid, sizeof(kid), id, sizeof(id));
	pins_words(w, sizeof(w), kid);
	CHECK(
	    strcmp(w, "aanbouw aanbouw aanbouw aanbouw aanbouw aanbouw") == 0);
	pins_words(w, sizeof(w), "not an id");
	CHECK(w[0] == '\0');
	pins_words(w, sizeof(w), NULL);
	CHECK(w[0] == '\0');
}
