/*
 * securetransfer keys: list the pinned keys, show one with its six words,
 * trust a changed key after comparing the words, forget a pin. The gate
 * itself is trust.c.
 */
#include "util/common.h"

#include <ctype.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/kt.h"
#include "cli/opts.h"
#include "cli/session.h"
#include "cli/trust.h"
#include "client/pins.h"
#include "envelope/keyid.h"

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
	struct pins *p = trust_open_pins(c, NULL);
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
			trust_since_text(since, sizeof(since), pin);
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
	if ((p = trust_open_pins(c, NULL)) == NULL) {
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
		if ((p = trust_open_pins(c, NULL)) == NULL)
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
