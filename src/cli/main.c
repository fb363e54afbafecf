/*
 * securetransfer: global options, the settings (config.ini, then
 * SECURETRANSFER_* variables, then flags) and the command table.
 */
#include "util/common.h"

#include <curl/curl.h>
#include <getopt.h>
#include <ini.h>
#include <sodium.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/session.h"

static const char usage[] =
    "usage: securetransfer [--server URL] [--config FILE] [--json] [--quiet]\n"
    "                      COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  login      log in (keys in memory, or --save them in a 0600 file)\n"
    "  logout     end the session and forget saved keys\n"
    "  whoami     who is logged in, and the key fingerprint\n"
    "  send       encrypt and send files: send --to ADDR FILE...\n"
    "  receive    decrypt a message: receive LINK|ID [--out DIR]\n"
    "  list       messages sent or received\n"
    "  report     the report of a message, or its PDF\n"
    "  contacts   the address book: list, add, import CSV\n"
    "  request    ask someone outside for documents\n"
    "  keys       the keys you trust: list, show, trust after comparing\n"
    "  log        audit the server's key-transparency log: log verify\n"
    "\n"
    "'securetransfer COMMAND --help' describes a command; man securetransfer\n"
    "has the settings and the exit codes (0 ok, 1 local, 2 usage, 3 auth,\n"
    "4 refused by the server, 5 network, 6 integrity, 7 a trusted key\n"
    "changed).\n";

static void
set(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
}

struct ini_ctx {
	struct cli *c;
	const char *path;
	int bad;
};

static int
on_ini(void *arg, const char *section, const char *name, const char *value)
{
	struct ini_ctx *x = arg;

	if (strcmp(section, "server") == 0 && strcmp(name, "url") == 0)
		set(&x->c->server, value);
	else if (strcmp(section, "server") == 0 && strcmp(name, "ca_file") == 0)
		set(&x->c->ca_file, value);
	else if (strcmp(section, "account") == 0 && strcmp(name, "email") == 0)
		set(&x->c->email, value);
	else if (strcmp(section, "log") == 0 && strcmp(name, "key") == 0)
		set(&x->c->log_key, value);
	else {
		cli_fail(CLI_USAGE, "%s: unknown setting %s.%s", x->path,
		    section, name);
		x->bad = 1;
		return 0;
	}
	return 1;
}

/* The folder: $SECURETRANSFER_HOME, $XDG_CONFIG_HOME/securetransfer, or
 * ~/.config/securetransfer. */
static char *
config_dir(void)
{
	const char *v;
	char buf[4096];

	if ((v = getenv("SECURETRANSFER_HOME")) != NULL && *v)
		return xstrdup(v);
	if ((v = getenv("XDG_CONFIG_HOME")) != NULL && *v)
		snprintf(buf, sizeof(buf), "%s/securetransfer", v);
	else
		snprintf(buf, sizeof(buf), "%s/.config/securetransfer",
		    (v = getenv("HOME")) != NULL ? v : ".");
	return xstrdup(buf);
}

static int
load_settings(struct cli *c, const char *config)
{
	struct ini_ctx x = { c, NULL, 0 };
	char path[4200];
	const char *v;
	int rc;

	c->dir = config_dir();
	if (config == NULL)
		config = getenv("SECURETRANSFER_CONFIG");
	if (config == NULL || !*config) {
		snprintf(path, sizeof(path), "%s/config.ini", c->dir);
		config = path;
		if (access(config, F_OK) != 0)
			config = NULL; /* the default file is optional */
	}
	if (config != NULL) {
		x.path = config;
		rc = ini_parse(config, on_ini, &x);
		if (rc < 0)
			return cli_fail(CLI_USAGE, "cannot read %s", config);
		if (rc > 0 && !x.bad)
			return cli_fail(
			    CLI_USAGE, "%s: line %d is not valid", config, rc);
		if (x.bad)
			return CLI_USAGE;
	}
	if ((v = getenv("SECURETRANSFER_SERVER")) != NULL && *v)
		set(&c->server, v);
	if ((v = getenv("SECURETRANSFER_EMAIL")) != NULL && *v)
		set(&c->email, v);
	if ((v = getenv("SECURETRANSFER_CA_FILE")) != NULL && *v)
		set(&c->ca_file, v);
	if ((v = getenv("SECURETRANSFER_PASSWORD_FILE")) != NULL && *v)
		c->password_file = v;
	if ((v = getenv("SECURETRANSFER_LOG_KEY")) != NULL && *v)
		set(&c->log_key, v);
	return CLI_OK;
}

static const struct {
	const char *name;
	int (*fn)(struct cli *, int, char **);
} commands[] = {
	{ "login", cmd_login },
	{ "logout", cmd_logout },
	{ "whoami", cmd_whoami },
	{ "send", cmd_send },
	{ "receive", cmd_receive },
	{ "list", cmd_list },
	{ "report", cmd_report },
	{ "contacts", cmd_contacts },
	{ "request", cmd_request },
	{ "keys", cmd_keys },
	{ "log", cmd_log },
};

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "server", required_argument, NULL, 's' },
		{ "config", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { 0 };
	const char *config = NULL, *server = NULL;
	size_t i;
	int ch, rc;

	c.json = -1;
	while ((ch = getopt_long(argc, argv, "+s:c:jqhV", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			server = optarg;
			break;
		case 'c':
			config = optarg;
			break;
		case 'j':
			c.json = 1;
			break;
		case 'q':
			c.quiet = 1;
			break;
		case 'h':
			fputs(usage, stdout);
			return CLI_OK;
		case 'V':
			printf("securetransfer %s\n", ST_VERSION);
			return CLI_OK;
		default:
			fputs(usage, stderr);
			return CLI_USAGE;
		}
	}
	if (optind >= argc) {
		fputs(usage, stderr);
		return CLI_USAGE;
	}
	if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		return cli_fail(CLI_LOCAL,
		    "cannot initialise the crypto and "
		    "network libraries");
	c.json = c.json == 1;
	c.tty = isatty(STDERR_FILENO);
	if ((rc = load_settings(&c, config)) != CLI_OK)
		return rc;
	if (server != NULL)
		set(&c.server, server);
	argc -= optind;
	argv += optind;
	rc = -1;
	for (i = 0; i < ST_ARRAY_LEN(commands); i++)
		if (strcmp(argv[0], commands[i].name) == 0) {
			optind = 0; /* getopt again, from argv[1] */
			rc = commands[i].fn(&c, argc, argv);
			break;
		}
	if (rc == -1) {
		fputs(usage, stderr);
		rc = cli_fail(CLI_USAGE, "unknown command '%s'", argv[0]);
	}
	session_end(&c);
	curl_global_cleanup();
	return rc;
}
