/* The CLI's key pins; see pins.h. */
#include "util/common.h"

#include <ctype.h>
#include <sodium.h>
#include <sys/stat.h>
#include <time.h>

#include "client/pins.h"
#include "envelope/keyid.h"
#include "util/fsutil.h"
#include "util/rand.h"

#define PINS_MAX_PREV 8
#define PINS_MAX_FILE (16u << 20)

struct pins {
	char *path;
	json_t *doc; /* {"v":1,"pins":{...}} */
};

static const char *
str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int
b64_len_ok(const char *s, size_t bytes)
{
	unsigned char buf[64];

	return s != NULL && bytes <= sizeof(buf) &&
	    b64u_decode(buf, sizeof(buf), s, strlen(s)) == (long)bytes;
}

int
pins_key_read(struct pins_key *k, const json_t *served)
{
	const char *email = str(served, "email"), *kind = str(served, "kind");
	const char *kid = str(served, "key_id"), *x = str(served, "x25519_pk");
	const char *ed = str(served, "ed25519_pk");
	unsigned char pk[32], id[KEYID_LEN];
	char want[PINS_KID_LEN + 1];
	size_t i, n;

	memset(k, 0, sizeof(*k));
	if (!json_is_object(served) || email == NULL ||
	    (n = strlen(email)) == 0 || n > PINS_ADDR_MAX ||
	    strchr(email, '@') == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)email[i];

		if (ch <= 0x20 || ch == 0x7f)
			return -1;
		k->address[i] = (char)tolower(ch);
	}
	if (kid == NULL ||
	    (kind != NULL &&
	        (strcmp(kind, "link") == 0 || strcmp(kind, "none") == 0)))
		return 0; /* no key: the link flow */
	if (!rand_id_valid(kid))
		return -1;
	k->has_key = 1;
	k->mailbox = kind != NULL && strcmp(kind, "mailbox") == 0;
	snprintf(k->key_id, sizeof(k->key_id), "%s", kid);
	if (x != NULL) {
		if (b64u_decode(pk, sizeof(pk), x, strlen(x)) != 32 ||
		    keyid_compute(id, pk) != 0)
			return -1;
		b64u_encode(want, sizeof(want), id, sizeof(id));
		if (strcmp(want, kid) != 0)
			return -1;
	}
	if (ed != NULL) {
		if (!b64_len_ok(ed, 32))
			return -1;
		snprintf(k->sign_pk, sizeof(k->sign_pk), "%s", ed);
	}
	return 0;
}

static json_t *
pin_map(const struct pins *p)
{
	return json_object_get(p->doc, "pins");
}

struct pins *
pins_load(const char *path)
{
	struct pins *p = xcalloc(1, sizeof(*p));
	struct stat st;
	json_t *doc = NULL;

	p->path = xstrdup(path);
	if (stat(path, &st) != 0) {
		if (errno != ENOENT)
			goto fail;
		p->doc = json_pack("{s:i,s:{}}", "v", 1, "pins");
		return p;
	}
	if (!S_ISREG(st.st_mode) || (uintmax_t)st.st_size > PINS_MAX_FILE)
		goto fail;
	doc = json_load_file(path, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(doc) ||
	    json_integer_value(json_object_get(doc, "v")) != 1 ||
	    !json_is_object(json_object_get(doc, "pins")))
		goto fail;
	p->doc = doc;
	return p;
fail:
	json_decref(doc);
	pins_free(p);
	return NULL;
}

void
pins_free(struct pins *p)
{
	if (p == NULL)
		return;
	json_decref(p->doc);
	free(p->path);
	free(p);
}

static int
save(struct pins *p)
{
	char *s = json_dumps(p->doc, JSON_INDENT(1) | JSON_SORT_KEYS);
	int rc;

	if (s == NULL)
		return -1;
	rc = fs_write_private(p->path, s, strlen(s));
	free(s);
	return rc;
}

static json_t *
new_pin(const struct pins_key *k, const json_t *old, int confirmed)
{
	json_t *pin = json_pack("{s:s,s:s,s:s?,s:I}", "kind",
	    k->mailbox ? "mailbox" : "account", "key_id", k->key_id, "sign_pk",
	    k->sign_pk[0] ? k->sign_pk : NULL, "since", (json_int_t)time(NULL));
	json_t *prev;

	if (confirmed)
		json_object_set_new(
		    pin, "confirmed", json_integer((json_int_t)time(NULL)));
	if (old == NULL)
		return pin;
	prev = json_deep_copy(json_object_get(old, "prev"));
	if (!json_is_array(prev)) {
		json_decref(prev);
		prev = json_array();
	}
	json_array_append_new(prev,
	    json_pack("{s:O?,s:O?}", "key_id", json_object_get(old, "key_id"),
	        "sign_pk", json_object_get(old, "sign_pk")));
	while (json_array_size(prev) > PINS_MAX_PREV)
		json_array_remove(prev, 0);
	json_object_set_new(pin, "prev", prev);
	return pin;
}

/* A known key {key_id, sign_pk?} against k: 1 same, 2 same id and a signing
 * key not known yet, -1 same id and another signing key, 0 another id. */
static int
match(const json_t *known, const struct pins_key *k)
{
	const char *kid = str(known, "key_id"), *sign = str(known, "sign_pk");

	if (kid == NULL || strcmp(kid, k->key_id) != 0)
		return 0;
	if (k->sign_pk[0] == '\0' ||
	    (sign != NULL && strcmp(sign, k->sign_pk) == 0))
		return 1;
	return sign == NULL ? 2 : -1;
}

enum pins_verdict
pins_check(struct pins *p, const struct pins_key *k, enum pins_purpose purpose,
    char old[PINS_KID_LEN + 1])
{
	json_t *pin = json_object_get(pin_map(p), k->address), *one;
	const char *kid = str(pin, "key_id");
	size_t i;
	int m;

	if (old != NULL)
		snprintf(old, PINS_KID_LEN + 1, "%s", kid != NULL ? kid : "");
	/* Tier 2 (issue 20 §3): the key-transparency proof is checked here. */
	if (!k->has_key)
		return pin == NULL ? PINS_NONE : PINS_REMOVED;
	if (pin == NULL) {
		json_object_set_new(
		    pin_map(p), k->address, new_pin(k, NULL, 0));
		return save(p) == 0 ? PINS_NEW : PINS_ERROR;
	}
	m = match(pin, k);
	if (m == 2) {
		json_object_set_new(pin, "sign_pk", json_string(k->sign_pk));
		return save(p) == 0 ? PINS_SAME : PINS_ERROR;
	}
	if (m == 1)
		return PINS_SAME;
	if (m == -1)
		return PINS_SIGN;
	if (purpose == PINS_RECEIVE)
		json_array_foreach(json_object_get(pin, "prev"), i, one)
		{
			if ((m = match(one, k)) == 1 || m == 2)
				return PINS_SAME;
			if (m == -1)
				return PINS_SIGN;
		}
	return PINS_CHANGED;
}

int
pins_check_own(
    const struct pins_key *served, const char *key_id, const char *ed25519_pk)
{
	/* Tier 2 (issue 20 §3): the newest log entry of the own address too. */
	if (!served->has_key || strcmp(served->key_id, key_id) != 0)
		return -1;
	if (served->sign_pk[0] != '\0' &&
	    strcmp(served->sign_pk, ed25519_pk) != 0)
		return -1;
	return 0;
}

int
pins_accept(struct pins *p, const struct pins_key *k)
{
	const json_t *old = json_object_get(pin_map(p), k->address);

	if (!k->has_key)
		return -1;
	json_object_set_new(pin_map(p), k->address, new_pin(k, old, 1));
	return save(p);
}

int
pins_forget(struct pins *p, const char *address)
{
	if (json_object_get(pin_map(p), address) == NULL)
		return 0;
	json_object_del(pin_map(p), address);
	return save(p) == 0 ? 1 : -1;
}

const json_t *
pins_get(const struct pins *p, const char *address)
{
	return json_object_get(pin_map(p), address);
}

const json_t *
pins_all(const struct pins *p)
{
	return pin_map(p);
}

void
pins_words(char *out, size_t outlen, const char *key_id)
{
	unsigned char id[KEYID_LEN];

	if (outlen > 0)
		out[0] = '\0';
	if (key_id != NULL && rand_id_valid(key_id) &&
	    b64u_decode(id, sizeof(id), key_id, strlen(key_id)) == KEYID_LEN)
		(void)keyid_words(out, outlen, id);
}
