/*
 * send: the command's options, the files and the recipient checked, the
 * resume record written, then the pipeline of send.c (create a message,
 * encrypt and upload its files with tus, sign and seal the manifest,
 * send; web/src/send/send.js in the browser). send --resume goes to
 * sendresume.c.
 */
#include "util/common.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <getopt.h>
#include <sodium.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/http.h"
#include "cli/opts.h"
#include "cli/send.h"
#include "cli/sendresume.h"
#include "cli/sendfinish.h"
#include "cli/sendstate.h"
#include "cli/session.h"
#include "cli/trust.h"

static const char usage[] =
    "usage: securetransfer send --to ADDR [--name NAME] [--phone +31...]\n"
    "                           [--lang nl|en] [--subject S] [--reference R]\n"
    "                           [--text-file FILE] FILE...\n"
    "                           [--strict]\n"
    "       securetransfer send --resume [MESSAGE_ID]\n"
    "\n"
    "Encrypts the files here (STF1, a new key per message), uploads them\n"
    "with tus and sends the message. An address outside the connected\n"
    "organisations gets a link and needs --phone for the SMS code (or a\n"
    "number from the address book); --lang is the language of that link's\n"
    "mail and SMS (default nl). Prints the message id and the URL of\n"
    "its report. With strict delivery (--strict, or always when the\n"
    "organisation's policy is strict) the server never gets the link's\n"
    "secret and does not mail the link: it is printed as a third line\n"
    "(\"link\" with --json) for you to send. A send that stopped\n"
    "(network, crash) goes on with --resume. Also: --password-file FILE,\n"
    "--password-stdin.\n";

struct send_opts {
	const char *to, *name, *phone, *subject, *reference, *text_file;
	const char *lang; /* the outside recipient's mail and SMS; NULL: nl */
	int resume, strict;
};

/* The files of the command line into st->files. */
static int
add_files(struct send_state *st, int argc, char **argv)
{
	int i;

	st->files = xcalloc((size_t)argc, sizeof(*st->files));
	for (i = 0; i < argc; i++) {
		struct send_file *f = &st->files[i];
		char *abs = realpath(argv[i], NULL), *base;
		struct stat sb;

		st->nfiles++;
		if (abs == NULL || stat(abs, &sb) != 0 ||
		    !S_ISREG(sb.st_mode) || access(abs, R_OK) != 0) {
			free(abs);
			return cli_fail(
			    CLI_LOCAL, "%s: not a readable file", argv[i]);
		}
		f->path = abs;
		f->size = (uint64_t)sb.st_size;
		base = strrchr(abs, '/');
		base = base != NULL ? base + 1 : abs;
		names_send(base, strlen(base), f->name);
	}
	return CLI_OK;
}

/* Name and number from the address book when not given. */
static void
from_contacts(struct cli *c, const char *to, char **name, char **phone)
{
	struct http_res r;
	char path[600], *q;
	json_t *one;
	size_t i;

	q = curl_easy_escape(NULL, to, 0);
	snprintf(path, sizeof(path), "/api/v1/contacts?q=%s&limit=50",
	    q != NULL ? q : "");
	curl_free(q);
	if (http_get(cli_http(c), path, &r) == 0 && r.status == 200)
		json_array_foreach(json_object_get(r.json, "contacts"), i, one)
		{
			const char *e = json_string_value(
			    json_object_get(one, "email"));
			const char *n = json_string_value(
			    json_object_get(one, "name"));
			const char *p = json_string_value(
			    json_object_get(one, "phone"));

			if (e == NULL || strcasecmp(e, to) != 0)
				continue;
			if (*name == NULL && n != NULL)
				*name = xstrdup(n);
			if (*phone == NULL && p != NULL)
				*phone = xstrdup(p);
			break;
		}
	http_res_release(&r);
}

/*
 * The recipient's key through the key gate (cli/trust.h: the log, then the
 * pins) before the message exists: a key without a log entry or a changed
 * key stops here, with nothing created. *kid: the trusted key id (NULL: no
 * key, the link flow).
 */
static int
check_recipient(struct cli *c, const struct send_opts *o, char **kid)
{
	json_t *served = NULL;
	const char *k;
	int rc;

	*kid = NULL;
	if ((rc = trust_lookup(c, o->to, &served)) == CLI_OK &&
	    (rc = trust_served(c, served, PINS_SEND, o->name)) == CLI_OK &&
	    (k = json_string_value(json_object_get(served, "key_id"))) != NULL)
		*kid = xstrdup(k);
	json_decref(served);
	return rc;
}

static int
send_new(struct cli *c, const struct send_opts *o, int argc, char **argv)
{
	struct send_state st = { 0 };
	char *name = o->name ? xstrdup(o->name) : NULL;
	char *phone = o->phone ? xstrdup(o->phone) : NULL;
	char *text = NULL, *kid = NULL;
	int rc;

	st.subject = send_nfc_or_empty(o->subject);
	st.reference = send_nfc_or_empty(o->reference);
	if (st.subject == NULL || st.reference == NULL) {
		rc = cli_fail(CLI_USAGE, "subject and reference must be UTF-8");
		goto out;
	}
	if ((rc = add_files(&st, argc, argv)) != CLI_OK ||
	    (rc = send_read_text(o->text_file, &text)) != CLI_OK)
		goto out;
	if (o->text_file != NULL)
		st.text_file = realpath(o->text_file, NULL);
	if ((rc = session_require_keys(c)) != CLI_OK ||
	    (rc = check_recipient(c, o, &kid)) != CLI_OK)
		goto out;
	if (name == NULL || phone == NULL)
		from_contacts(c, o->to, &name, &phone);
	st.to = xstrdup(o->to);
	st.rcpt_name = name;
	st.phone = phone;
	st.rcpt_kid = kid;
	st.rcpt_lang = o->lang != NULL ? xstrdup(o->lang) : NULL;
	name = phone = kid = NULL;
	st.strict = o->strict;
	st.server = xstrdup(c->server);
	/* The resume record comes first: a crash from here on, even in the
	 * middle of the creation, is finished by send --resume. */
	rand_id(st.idem_key);
	st.path = send_state_path(c, st.idem_key);
	if (sendstate_save(&st) != 0) {
		rc = cli_fail(CLI_LOCAL, "cannot write %s", st.path);
		goto out;
	}
	rc = send_start(c, &st, text);
out:
	free(name);
	free(phone);
	free(text);
	free(kid);
	sendstate_release(&st);
	return rc;
}

int
cmd_send(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "name", required_argument, NULL, 'n' },
		{ "phone", required_argument, NULL, 'p' },
		{ "subject", required_argument, NULL, 's' },
		{ "reference", required_argument, NULL, 'r' },
		{ "text-file", required_argument, NULL, 'T' },
		{ "lang", required_argument, NULL, 'L' },
		{ "resume", no_argument, NULL, 'R' },
		{ "strict", no_argument, NULL, 'S' },
		CLI_PASSWORD_OPTS,
		CLI_COMMON_OPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct send_opts o = { 0 };
	int ch;

	while ((ch = cli_getopt(c, argc, argv, "t:h", opts)) != -1) {
		switch (ch) {
		case 't':
			o.to = optarg;
			break;
		case 'n':
			o.name = optarg;
			break;
		case 'p':
			o.phone = optarg;
			break;
		case 's':
			o.subject = optarg;
			break;
		case 'r':
			o.reference = optarg;
			break;
		case 'T':
			o.text_file = optarg;
			break;
		case 'R':
			o.resume = 1;
			break;
		case 'S':
			o.strict = 1;
			break;
		case 'L':
			if (strcmp(optarg, "nl") != 0 &&
			    strcmp(optarg, "en") != 0)
				return cli_fail(
				    CLI_USAGE, "--lang is nl or en");
			o.lang = optarg;
			break;
		default:
			return cli_usage(ch, usage);
		}
	}
	if (o.resume)
		return optind + 1 < argc ?
		    cli_fail(CLI_USAGE, "--resume takes one message id") :
		    send_resume(c, optind < argc ? argv[optind] : NULL);
	if (o.to == NULL || optind >= argc) {
		fputs(usage, stderr);
		return CLI_USAGE;
	}
	if (argc - optind > 10000)
		return cli_fail(CLI_USAGE, "too many files");
	return send_new(c, &o, argc - optind, argv + optind);
}
