/*
 * The command-line options the commands share: pieces of the getopt_long
 * table and one loop that answers them, so each command lists and handles
 * only its own.
 */
#ifndef ST_CLI_OPTS_H
#define ST_CLI_OPTS_H

#include <getopt.h>

struct cli;

/* getopt_long codes of the shared options (no short forms). */
#define CLI_OPT_JSON 1001
#define CLI_OPT_QUIET 1002
#define CLI_OPT_SERVER 1003
#define CLI_OPT_PASSWORD_FILE 1004
#define CLI_OPT_PASSWORD_STDIN 1005

/* The options every command takes: --json, --quiet, --server, --help. */
#define CLI_COMMON_OPTS \
	{ "json", no_argument, NULL, CLI_OPT_JSON }, \
	    { "quiet", no_argument, NULL, CLI_OPT_QUIET }, \
	    { "server", required_argument, NULL, CLI_OPT_SERVER }, \
	{ \
		"help", no_argument, NULL, 'h' \
	}
/* For the commands that may unlock the keys: where the password comes from. */
#define CLI_PASSWORD_OPTS \
	{ "password-file", required_argument, NULL, CLI_OPT_PASSWORD_FILE }, \
	{ \
		"password-stdin", no_argument, NULL, CLI_OPT_PASSWORD_STDIN \
	}

/*
 * getopt_long(argc, argv, shortopts, opts) that sets the shared options
 * (CLI_COMMON_OPTS except --help, CLI_PASSWORD_OPTS) in c itself and
 * returns the next other option character ('h' for --help, '?' for a bad
 * one), or -1 after the last option. optarg is as getopt_long leaves it.
 */
int cli_getopt(struct cli *c, int argc, char **argv, const char *shortopts,
    const struct option *opts);

/*
 * The answer to an option a command does not take, or to --help: usage on
 * stdout and CLI_OK for 'h', on stderr and CLI_USAGE for anything else.
 */
int cli_usage(int ch, const char *usage);

/*
 * For a command that takes CLI_COMMON_OPTS and nothing else: CLI_OK to go
 * on (optind at the first operand), -1 after --help (usage printed), or
 * CLI_USAGE after any other option (usage on stderr).
 */
int cli_plain_opts(struct cli *c, int argc, char **argv, const char *usage);

#endif
