/*
 * securetransfer, the command-line client (issue 13): what the commands
 * share. The program talks to securetransferd through the same JSON API
 * and tus endpoint as the browser, and encrypts with src/envelope.
 *
 * Output: results on stdout (one JSON document with --json), progress,
 * prompts and errors on stderr. Exit codes: cli/exit.h.
 */
#ifndef ST_CLI_H
#define ST_CLI_H

#include <jansson.h>

#include "cli/exit.h"
#include "client/acct.h"

struct http;
struct http_res;

struct cli {
	/* Settings: config.ini, then SECURETRANSFER_* variables, then flags. */
	char *server; /* base URL, no trailing slash */
	char *email;
	char *ca_file;
	/* [log] key: the key-transparency log's verifier key line (cli/kt.h) */
	char *log_key;
	char *dir; /* config and state folder */
	int json; /* --json */
	int quiet; /* --quiet: no progress */
	int tty; /* stderr is a terminal */
	const char *password_file; /* --password-file, or NULL */
	int password_stdin;

	struct http *http; /* for server, made on first use */
	json_t *session; /* session.json, or NULL */
	struct acct_keys keys;
	int have_keys;
};

/* Prints "securetransfer: <message>" on stderr; returns code. */
int cli_fail(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * For a failed request: "securetransfer: WHAT: <the answer>" on stderr;
 * releases r and returns its exit code (CLI_REFUSED for a 2xx).
 */
int cli_fail_answer(struct http_res *r, const char *what);
/* A note on stderr unless --quiet or --json. */
void cli_note(const struct cli *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Prints doc on stdout as one line of JSON and frees it. */
void cli_print_json(json_t *doc);

/* The HTTP client for c->server (made on first call). */
struct http *cli_http(struct cli *c);

#endif
