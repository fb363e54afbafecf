/*
 * request (Q1): ask someone outside the connected organisations for
 * documents. The server mails them a single-use upload link whose
 * fragment carries this account's key id as the unlocked keys give it
 * (fp), so the uploader's browser can refuse a key the server swapped.
 */
#include "util/common.h"

#include <getopt.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/http.h"
#include "cli/opts.h"
#include "cli/send.h"
#include "cli/session.h"
#include "client/nfc.h"
#include "util/rand.h"

static const char usage[] =
    "usage: securetransfer request --to ADDR --name NAME [--text-file FILE]\n"
    "                              [--lang nl|en]\n"
    "\n"
    "Asks ADDR (outside the connected organisations) for documents: the\n"
    "server mails a single-use link to an upload page; what is uploaded\n"
    "there is encrypted to your key and arrives in your received messages\n"
    "('securetransfer list --received'). --lang is the language of the\n"
    "mail to ADDR (default nl). Prints the request id and when the\n"
    "link expires. Also: --password-file FILE, --password-stdin.\n";

int
cmd_request(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "name", required_argument, NULL, 'n' },
		{ "text-file", required_argument, NULL, 'T' },
		{ "lang", required_argument, NULL, 'L' },
		CLI_PASSWORD_OPTS,
		CLI_COMMON_OPTS,
		{ NULL, 0, NULL, 0 },
	};
	const char *to = NULL, *name = NULL, *text_file = NULL, *lang = "nl";
	char fp[RAND_ID_LEN + 1], *text = NULL, *nn = NULL;
	struct http_res r;
	json_t *body;
	int ch, rc;

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
	free(nn);
	free(text);
	http_post(cli_http(c), "/api/v1/requests", body, &r);
	json_decref(body);
	if (r.status != 201)
		return cli_fail_answer(&r, "request");
	if (c->json)
		cli_print_json(json_incref(r.json));
	else {
		time_t t = (time_t)json_integer_value(
		    json_object_get(r.json, "expires_at"));
		struct tm tm;
		char when[40] = "?";

		if (localtime_r(&t, &tm) != NULL)
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
		printf("%s\nthe link is valid until %s\n",
		    json_string_value(json_object_get(r.json, "id")), when);
	}
	http_res_release(&r);
	return CLI_OK;
}
