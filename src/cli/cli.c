/*
 * The helpers every command uses (cli.h): errors and notes on stderr,
 * JSON on stdout, the HTTP client. Apart from main.c's command table so
 * that the commands depend on these and main.c on the commands, never
 * both ways.
 */
#include "util/common.h"

#include <stdarg.h>

#include "cli/cli.h"
#include "cli/http.h"

int
cli_fail(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("securetransfer: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

int
cli_fail_answer(struct http_res *r, const char *what)
{
	char msg[300];
	int rc = http_exit_code(r);

	if (rc == CLI_OK)
		rc = CLI_REFUSED;
	cli_fail(rc, "%s: %s", what, http_describe(r, msg, sizeof(msg)));
	http_res_release(r);
	return rc;
}

void
cli_note(const struct cli *c, const char *fmt, ...)
{
	va_list ap;

	if (c->quiet || c->json)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
cli_print_json(json_t *doc)
{
	char *s = json_dumps(doc, JSON_COMPACT | JSON_ENSURE_ASCII);

	if (s != NULL)
		printf("%s\n", s);
	free(s);
	json_decref(doc);
}

struct http *
cli_http(struct cli *c)
{
	if (c->http == NULL)
		c->http = http_new(c->server, c->ca_file);
	return c->http;
}
