/*
 * The commands' side of the key gate (client/pins.c): the key-transparency
 * check (cli/kt.h) and then pins.json, the refusal of a changed key,
 * self-monitoring and `securetransfer keys`. See trust.h.
 */
#include "util/common.h"

#include <ctype.h>
#include <time.h>

#include "cli/http.h"
#include "cli/kt.h"
#include "cli/opts.h"
#include "cli/session.h"
#include "cli/trust.h"
#include "envelope/keyid.h"
#include "util/rand.h"

static const char usage[] =
    "usage: securetransfer keys [list]\n"
    "       securetransfer keys show ADDR\n"
    "       securetransfer keys trust ADDR 'WORD WORD WORD WORD WORD'\n"
    "       securetransfer keys forget ADDR\n"
    "\n"
    "The keys this client trusts (pins.json in the settings folder): the\n"
    "first key seen for an address is pinned; a changed key makes send and\n"
    "receive stop with exit 7. Call the colleague on a number you already\n"
    "had, compare the six words of their fingerprint, and only if they are\n"
    "the same accept the new key with 'keys trust' and those words.\n"
    "Before any pin, every key must be in the server's key-transparency\n"
    "log (docs/transparency.md): one that is not stops with exit 6, and\n"
    "'keys trust' does not accept it.\n";

static struct pins *
open_pins(const struct cli *c, char **path_out)
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

static void
since_text(char *out, size_t len, const json_t *pin)
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
	since_text(since, sizeof(since), pin);
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
	if ((p = open_pins(c, NULL)) == NULL)
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

/* "a  B c" → "a b c": lower-case, single spaces, no ends. */
static void
words_norm(char *out, size_t len, int argc, char **argv)
{
	size_t o = 0;
	int i, space = 0;

	for (i = 0; i < argc; i++)
		for (const char *s = argv[i];; s++) {
			int end = *s == '\0';

			if (end || isspace((unsigned char)*s)) {
				space = o > 0;
				if (end)
					break;
				continue;
			}
			if (space && o + 1 < len)
				out[o++] = ' ';
			space = 0;
			if (o + 1 < len)
				out[o++] = (char)tolower((unsigned char)*s);
		}
	out[o] = '\0';
}

static int
keys_list(struct cli *c)
{
	struct pins *p = open_pins(c, NULL);
	char words[KEYID_WORDS_MAX], since[48];
	const char *addr;
	json_t *pin, *out;

	if (p == NULL)
		return CLI_LOCAL;
	out = json_array();
	json_object_foreach((json_t *)(uintptr_t)pins_all(p), addr, pin)
	{
		const char *kid = json_string_value(
		    json_object_get(pin, "key_id"));

		pins_words(words, sizeof(words), kid);
		if (c->json)
			json_array_append_new(out,
			    json_pack("{s:s,s:s?,s:s,s:O?,s:O?}", "email", addr,
			        "key_id", kid, "fingerprint", words, "since",
			        json_object_get(pin, "since"), "confirmed",
			        json_object_get(pin, "confirmed")));
		else {
			since_text(since, sizeof(since), pin);
			printf("%s  %s%s\n", addr, words, since);
		}
	}
	if (c->json)
		cli_print_json(json_pack("{s:o}", "keys", out));
	else
		json_decref(out);
	pins_free(p);
	return CLI_OK;
}

static int
keys_show_or_trust(struct cli *c, const char *addr, int nwords, char **words)
{
	char have[KEYID_WORDS_MAX], pinned[KEYID_WORDS_MAX], given[200];
	const char *state;
	struct pins_key k;
	struct pins *p = NULL;
	json_t *served = NULL;
	const json_t *pin;
	int rc;

	if ((rc = session_require(c)) != CLI_OK ||
	    (rc = trust_lookup(c, addr, &served)) != CLI_OK)
		return rc;
	if (pins_key_read(&k, served) != 0) {
		rc = cli_fail(CLI_INTEGRITY,
		    "the server's key answer contradicts itself");
		goto out;
	}
	if ((p = open_pins(c, NULL)) == NULL) {
		rc = CLI_LOCAL;
		goto out;
	}
	pin = pins_get(p, k.address);
	pins_words(have, sizeof(have), k.key_id);
	pins_words(pinned, sizeof(pinned),
	    json_string_value(json_object_get(pin, "key_id")));
	state = !k.has_key            ? (pin ? "removed" : "none") :
	    pin == NULL               ? "not pinned" :
	    strcmp(have, pinned) == 0 ? "pinned" :
	                                "changed";
	if (words == NULL) {
		if (c->json)
			cli_print_json(json_pack("{s:s,s:s,s:s,s:s,s:s}",
			    "email", k.address, "state", state, "key_id",
			    k.key_id, "fingerprint", have, "pinned", pinned));
		else
			printf("%s\nkey the server gives: %s\nkey you trust:   "
			       "     "
			       "%s\nstate: %s\n",
			    k.address, k.has_key ? have : "(none)",
			    pin ? pinned : "(none)", state);
		goto out;
	}
	words_norm(given, sizeof(given), nwords, words);
	if (!k.has_key) {
		rc = cli_fail(CLI_REFUSED,
		    "the server gives no key for %s: nothing to trust",
		    k.address);
		goto out;
	}
	/* Only a key with its log entry can be trusted (cli/kt.h). */
	if ((rc = cli_kt_served(c, served, k.address)) != CLI_OK)
		goto out;
	if (strcmp(given, have) != 0) {
		rc = cli_fail(CLI_KEY_CHANGED,
		    "these words are not those of the key the server gives "
		    "for %s now (%s): do not trust it; nothing was changed",
		    k.address, have);
		goto out;
	}
	if (pin != NULL && strcmp(have, pinned) == 0 &&
	    pins_check(p, &k, PINS_SEND, NULL) == PINS_SIGN) {
		rc = cli_fail(CLI_KEY_CHANGED,
		    "the key id of %s is the one you trust but its signing key "
		    "is not; the six words cannot confirm that. Report it to "
		    "your administrator",
		    k.address);
		goto out;
	}
	if (pins_accept(p, &k) != 0)
		rc = cli_fail(CLI_LOCAL, "cannot write %s/pins.json", c->dir);
	else
		cli_note(c, "Now trusting the key of %s: %s", k.address, have);
out:
	pins_free(p);
	json_decref(served);
	return rc;
}

int
cmd_keys(struct cli *c, int argc, char **argv)
{
	struct pins *p;
	int rc;

	if ((rc = cli_plain_opts(c, argc, argv, usage)) != CLI_OK)
		return rc == -1 ? CLI_OK : rc;
	argc -= optind;
	argv += optind;
	if (argc == 0 || (argc == 1 && strcmp(argv[0], "list") == 0))
		return keys_list(c);
	if (argc == 2 && strcmp(argv[0], "show") == 0)
		return keys_show_or_trust(c, argv[1], 0, NULL);
	if (argc >= 3 && strcmp(argv[0], "trust") == 0)
		return keys_show_or_trust(c, argv[1], argc - 2, argv + 2);
	if (argc == 2 && strcmp(argv[0], "forget") == 0) {
		char addr[PINS_ADDR_MAX + 1];
		size_t i, n = strlen(argv[1]);

		if (n > PINS_ADDR_MAX)
			return cli_fail(CLI_USAGE, "the address is too long");
		for (i = 0; i <= n; i++)
			addr[i] = (char)tolower((unsigned char)argv[1][i]);
		if ((p = open_pins(c, NULL)) == NULL)
			return CLI_LOCAL;
		rc = pins_forget(p, addr);
		pins_free(p);
		if (rc == -1)
			return cli_fail(
			    CLI_LOCAL, "cannot write %s/pins.json", c->dir);
		if (rc == 1)
			cli_note(c, "Forgot the key of %s.", addr);
		else
			cli_note(c, "No key of %s was pinned.", addr);
		return CLI_OK;
	}
	fputs(usage, stderr);
	return CLI_USAGE;
}
