/*
 * request (Q1): ask someone outside the connected organisations for
 * documents. The server mails them a single-use upload link whose
 * fragment carries this account's key id as the unlocked keys give it
 * (fp), so the uploader's browser can refuse a key the server swapped.
 * Under strict delivery (SECURITY.md 1.6) the server mails nothing: the
 * link (the page address it answers, '#', fp made here) is printed for
 * the employee to send.
 */
#include "util/common.h"

#include <getopt.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/http.h"
#include "cli/opts.h"
#include "cli/send.h"
#include "cli/session.h"
#include "client/nfc.h"
#include "util/rand.h"

static const char usage[] =
    "usage: securetransfer request --to ADDR --name NAME [--text-file FILE]\n"
    "                              [--strict] [--lang nl|en]\n"
    "\n"
    "Asks ADDR (outside the connected organisations) for documents: the\n"
    "server mails a single-use link to an upload page; what is uploaded\n"
    "there is encrypted to your key and arrives in your received messages\n"
    "('securetransfer list --received'). --lang is the language of the\n"
    "mail to ADDR (default nl). Prints the request id and when the\n"
    "link expires. With strict delivery (--strict, or always when the\n"
    "organisation's policy is strict) the server mails nothing and the\n"
    "link is printed after the id (\"link\" with --json) for you to send.\n"
    "Also: --password-file FILE, --password-stdin.\n";

/* The request page the server names for strict delivery: an http(s) URL
 * with /q/ and no fragment, query, space or control character. */
static int
q_url_ok(const char *u)
{
	size_t i, n = u != NULL ? strlen(u) : 0;

	if (n < 12 || n > 400 ||
	    (strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0) ||
	    strstr(u, "/q/") == NULL)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)u[i] <= 0x20 || u[i] == 0x7f ||
		    u[i] == '#' || u[i] == '?')
			return 0;
	return 1;
}

int
cmd_request(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "name", required_argument, NULL, 'n' },
		{ "text-file", required_argument, NULL, 'T' },
		{ "strict", no_argument, NULL, 'S' },
		{ "lang", required_argument, NULL, 'L' },
		CLI_PASSWORD_OPTS,
		CLI_COMMON_OPTS,
		{ NULL, 0, NULL, 0 },
	};
	const char *to = NULL, *name = NULL, *text_file = NULL, *lang = "nl";
	char fp[RAND_ID_LEN + 1], *text = NULL, *nn = NULL;
	char link[512] = "";
	struct http_res r;
	json_t *body;
	const char *dl, *url;
	int ch, rc, strict = 0;

	while ((ch = cli_getopt(c, argc, argv, "t:h", opts)) != -1) {
		switch (ch) {
		case 't':
			to = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		case 'T':
			text_file = optarg;
			break;
		case 'S':
			strict = 1;
			break;
		case 'L':
			if (strcmp(optarg, "nl") != 0 &&
			    strcmp(optarg, "en") != 0)
				return cli_fail(
				    CLI_USAGE, "--lang is nl or en");
			lang = optarg;
			break;
		default:
			return cli_usage(ch, usage);
		}
	}
	if (to == NULL || name == NULL || optind != argc) {
		fputs(usage, stderr);
		return CLI_USAGE;
	}
	if ((nn = nfc_dup(name, strlen(name), NULL)) == NULL)
		return cli_fail(CLI_USAGE, "the name must be UTF-8");
	if ((rc = send_read_text(text_file, &text)) != CLI_OK ||
	    (rc = session_require_keys(c)) != CLI_OK) {
		free(nn);
		free(text);
		return rc;
	}
	b64u_encode(fp, sizeof(fp), c->keys.key_id, 16);
	body = json_pack("{s:s,s:s,s:s,s:s,s:s}", "name", nn, "email", to,
	    "text", text, "fp", fp, "lang", lang);
	if (strict)
		json_object_set_new(body, "delivery", json_string("strict"));
	free(nn);
	free(text);
	http_post(cli_http(c), "/api/v1/requests", body, &r);
	json_decref(body);
	if (r.status != 201)
		return cli_fail_answer(&r, "request");
	dl = json_string_value(json_object_get(r.json, "delivery"));
	url = json_string_value(json_object_get(r.json, "link_url"));
	if (dl != NULL && strcmp(dl, "strict") == 0) {
		/* The fragment is this client's own key id, never the
		 * server's. */
		if (!q_url_ok(url) ||
		    snprintf(link, sizeof(link), "%s#%s", url, fp) >=
		        (int)sizeof(link)) {
			http_res_release(&r);
			return cli_fail(CLI_REFUSED,
			    "the server named no usable link address; the "
			    "request was made but nobody has its link");
		}
	} else if (strict) {
		http_res_release(&r);
		return cli_fail(CLI_REFUSED,
		    "the server did not make the request strict "
		    "(delivery_mismatch); it mails the link itself");
	}
	if (c->json) {
		json_t *out = json_incref(r.json);

		json_object_del(out, "link_url");
		if (*link)
			json_object_set_new(out, "link", json_string(link));
		cli_print_json(out);
	} else {
		time_t t = (time_t)json_integer_value(
		    json_object_get(r.json, "expires_at"));
		struct tm tm;
		char when[40] = "?";

		if (localtime_r(&t, &tm) != NULL)
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
		printf(
		    "%s\n", json_string_value(json_object_get(r.json, "id")));
		if (*link) {
			printf("%s\n", link);
			cli_note(c,
			    "Strict delivery: the server did not mail this "
			    "link. Send it to %s yourself.",
			    to);
		}
		printf("the link is valid until %s\n", when);
	}
	http_res_release(&r);
	return CLI_OK;
}
