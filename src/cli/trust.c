/*
 * The commands' side of the key gate (client/pins.c): the key-transparency
 * check (cli/kt.h) and then pins.json, the refusal of a changed key,
 * self-monitoring. `securetransfer keys` is cmd_keys.c. See trust.h.
 */
#include "util/common.h"

#include <time.h>

#include "cli/http.h"
#include "cli/kt.h"
#include "cli/trust.h"
#include "envelope/keyid.h"
#include "util/rand.h"

struct pins *
trust_open_pins(const struct cli *c, char **path_out)
{
	size_t n = strlen(c->dir) + sizeof("/pins.json");
	char *path = xmalloc(n);
	struct pins *p;

	snprintf(path, n, "%s/pins.json", c->dir);
	if ((p = pins_load(path)) == NULL)
		cli_fail(CLI_LOCAL, "cannot read %s: not a pin file", path);
	if (path_out != NULL)
		*path_out = path;
	else
		free(path);
	return p;
}

void
trust_since_text(char *out, size_t len, const json_t *pin)
{
	time_t t = (time_t)json_integer_value(json_object_get(pin, "since"));
	struct tm tm;

	out[0] = '\0';
	if (t > 0 && localtime_r(&t, &tm) != NULL)
		strftime(out, len, " (since %Y-%m-%d %H:%M)", &tm);
}

static int
refuse(const struct pins_key *k, const json_t *pin, const char *name,
    enum pins_purpose purpose, enum pins_verdict v)
{
	char oldw[KEYID_WORDS_MAX], neww[KEYID_WORDS_MAX], since[48];
	const char *who = name != NULL && *name ? name : k->address;
	const char *nothing = purpose == PINS_SEND ?
	    "nothing was encrypted or sent" :
	    "nothing was decrypted or saved";

	pins_words(oldw, sizeof(oldw),
	    json_string_value(json_object_get(pin, "key_id")));
	pins_words(neww, sizeof(neww), k->key_id);
	trust_since_text(since, sizeof(since), pin);
	if (v == PINS_REMOVED) {
		cli_fail(CLI_KEY_CHANGED,
		    "%s <%s> had a key, and the server now says this address "
		    "has none (key_removed); %s.\n"
		    "  key you trusted%s: %s\n"
		    "  The message would go by link, through the server. Call "
		    "%s on a phone number\n"
		    "  you already had; only if the account was really "
		    "closed:\n"
		    "    securetransfer keys forget %s",
		    who, k->address, nothing, since, oldw, who, k->address);
		return CLI_KEY_CHANGED;
	}
	if (v == PINS_SIGN) {
		cli_fail(CLI_KEY_CHANGED,
		    "the signing key of %s <%s> is not the one you trusted, "
		    "while the key id stayed the same (signing_key_changed); "
		    "%s.\n"
		    "  No password change or reset does that: the server's "
		    "data was changed.\n"
		    "  Do not trust this; report it to your administrator.",
		    who, k->address, nothing);
		return CLI_KEY_CHANGED;
	}
	cli_fail(CLI_KEY_CHANGED,
	    "the key of %s <%s> has changed (key_changed); %s.\n"
	    "  key you trusted%s: %s\n"
	    "  key the server gives now: %s\n"
	    "  Call %s on a phone number you already had and ask for the six "
	    "words of\n"
	    "  their fingerprint ('Uw vingerafdruk' on their account page, or "
	    "'securetransfer whoami').\n"
	    "  Only if they are the same as the new key's words:\n"
	    "    securetransfer keys trust %s '%s'\n"
	    "  and run this command again.",
	    who, k->address, nothing, since, oldw, neww, who, k->address, neww);
	return CLI_KEY_CHANGED;
}

int
trust_served(struct cli *c, const json_t *served, enum pins_purpose purpose,
    const char *name)
{
	struct pins_key k;
	struct pins *p;
	enum pins_verdict v;
	int rc = CLI_OK;

	if (pins_key_read(&k, served) != 0)
		return cli_fail(CLI_INTEGRITY,
		    "the server's key answer contradicts itself: the key id "
		    "is not the key's (recipient_key_mismatch)");
	/* Tier 2 before tier 1: a key without its entry in the
	 * key-transparency log is refused as such (exit 6), on first
	 * contact too, and never reaches the pins (cli/kt.h). */
	if (k.has_key && (rc = cli_kt_served(c, served, k.address)) != CLI_OK)
		return rc;
	if ((p = trust_open_pins(c, NULL)) == NULL)
		return CLI_LOCAL;
	v = pins_check(p, &k, purpose, NULL);
	switch (v) {
	case PINS_NEW:
		cli_note(c, "Trusting the key of %s on first use.", k.address);
		break;
	case PINS_SAME:
	case PINS_NONE:
		break;
	case PINS_ERROR:
		rc = cli_fail(CLI_LOCAL, "cannot write %s/pins.json", c->dir);
		break;
	default:
		rc = refuse(&k, pins_get(p, k.address), name, purpose, v);
	}
	pins_free(p);
	return rc;
}

int
trust_lookup(struct cli *c, const char *email, json_t **served)
{
	struct http_res r;
	char path[700], *q;

	*served = NULL;
	q = curl_easy_escape(NULL, email, 0);
	if (q == NULL || strlen(q) > 600) {
		curl_free(q);
		return cli_fail(CLI_USAGE, "the address is too long");
	}
	snprintf(path, sizeof(path), "/api/v1/keys?email=%s", q);
	curl_free(q);
	if (http_get(cli_http(c), path, &r) != 0 || r.status != 200 ||
	    !json_is_object(r.json))
		return cli_fail_answer(&r, "key lookup");
	*served = json_incref(r.json);
	http_res_release(&r);
	return CLI_OK;
}

int
trust_self(struct cli *c, const char *email)
{
	char kid[RAND_ID_LEN + 1], ed[RAND_TOKEN_LEN + 1];
	struct pins_key k;
	json_t *served;
	int rc;

	if (email == NULL)
		return cli_fail(CLI_REFUSED, "the server named no account");
	if ((rc = trust_lookup(c, email, &served)) != CLI_OK)
		return rc;
	b64u_encode(kid, sizeof(kid), c->keys.key_id, 16);
	b64u_encode(ed, sizeof(ed), c->keys.ed_pk, 32);
	if (pins_key_read(&k, served) != 0 || pins_check_own(&k, kid, ed) != 0)
		rc = cli_fail(CLI_KEY_CHANGED,
		    "the server gives others another key for %s than the "
		    "keys you just unlocked (self_mismatch): messages to you "
		    "may be readable by someone else. Do not use this account "
		    "until this is explained; report it to your administrator.",
		    email);
	json_decref(served);
	return rc;
}
