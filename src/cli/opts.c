/* The shared command-line options; see opts.h. */
#include "util/common.h"

#include "cli/cli.h"
#include "cli/opts.h"

int
cli_getopt(struct cli *c, int argc, char **argv, const char *shortopts,
    const struct option *opts)
{
	int ch;

	while ((ch = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		switch (ch) {
		case CLI_OPT_JSON:
			c->json = 1;
			break;
		case CLI_OPT_QUIET:
			c->quiet = 1;
			break;
		case CLI_OPT_SERVER:
			free(c->server);
			c->server = xstrdup(optarg);
			break;
		case CLI_OPT_PASSWORD_FILE:
			c->password_file = optarg;
			break;
		case CLI_OPT_PASSWORD_STDIN:
			c->password_stdin = 1;
			break;
		default:
			return ch;
		}
	}
	return -1;
}

int
cli_usage(int ch, const char *usage)
{
	fputs(usage, ch == 'h' ? stdout : stderr);
	return ch == 'h' ? CLI_OK : CLI_USAGE;
}

int
cli_plain_opts(struct cli *c, int argc, char **argv, const char *usage)
{
	static const struct option opts[] = { CLI_COMMON_OPTS,
		{ NULL, 0, NULL, 0 } };
	int ch;

	if ((ch = cli_getopt(c, argc, argv, "h", opts)) == -1)
		return CLI_OK;
	return cli_usage(ch, usage) == CLI_OK ? -1 : CLI_USAGE;
}
