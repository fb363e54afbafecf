/* The address book from the command line; see contacts.h. */
#include "util/common.h"

#include <curl/curl.h>
#include <getopt.h>
#include <unistd.h>

#include "cli/contacts.h"
#include "cli/http.h"
#include "cli/opts.h"
#include "cli/session.h"

#define CSV_MAX (1u << 20) /* the server's limit */

int
contacts_list(struct cli *c, int argc, char **argv, const char *usage)
{
	static const struct option opts[] = {
		{ "search", required_argument, NULL, 'q' },
		CLI_COMMON_OPTS,
		{ NULL, 0, NULL, 0 },
	};
	json_t *all = json_array(), *one;
	const char *q = NULL;
	json_int_t total = 0, offset = 0;
	struct http_res r;
	char path[600], *e;
	size_t i;
	int ch, rc;

	while ((ch = cli_getopt(c, argc, argv, "h", opts)) != -1) {
		if (ch == 'q') {
			q = optarg;
			continue;
		}
		json_decref(all);
		return cli_usage(ch, usage);
	}
	if ((rc = session_require(c)) != CLI_OK) {
		json_decref(all);
		return rc;
	}
	e = curl_easy_escape(NULL, q != NULL ? q : "", 0);
	do {
		snprintf(path, sizeof(path),
		    "/api/v1/contacts?limit=200&offset=%" JSON_INTEGER_FORMAT
		    "%s%s",
		    offset, q ? "&q=" : "", q && e ? e : "");
		if (http_get(cli_http(c), path, &r) != 0 || r.status != 200) {
			curl_free(e);
			json_decref(all);
			return cli_fail_answer(&r, "contacts");
		}
		total = json_integer_value(json_object_get(r.json, "total"));
		json_array_extend(all, json_object_get(r.json, "contacts"));
		offset += (json_int_t)json_array_size(
		    json_object_get(r.json, "contacts"));
		rc = json_array_size(json_object_get(r.json, "contacts")) == 0;
		http_res_release(&r);
	} while (!rc && offset < total);
	curl_free(e);
	if (c->json) {
		cli_print_json(json_pack("{s:o}", "contacts", all));
		return CLI_OK;
	}
	json_array_foreach(all, i, one)
	{
		const char *ph = json_string_value(
		    json_object_get(one, "phone"));

		printf("%-30s  %-30s  %-25s  %s\n",
		    json_string_value(json_object_get(one, "name")),
		    json_string_value(json_object_get(one, "email")),
		    json_string_value(json_object_get(one, "organisation")),
		    ph ? ph : "");
	}
	json_decref(all);
	return CLI_OK;
}

int
contacts_add(struct cli *c, int argc, char **argv, const char *usage)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "email", required_argument, NULL, 'e' },
		{ "organisation", required_argument, NULL, 'o' },
		{ "phone", required_argument, NULL, 'p' },
		CLI_COMMON_OPTS,
		{ NULL, 0, NULL, 0 },
	};
	const char *name = NULL, *email = NULL, *org = "", *phone = NULL;
	struct http_res r;
	json_t *body;
	int ch, rc;

	while ((ch = cli_getopt(c, argc, argv, "h", opts)) != -1) {
		switch (ch) {
		case 'n':
			name = optarg;
			break;
		case 'e':
			email = optarg;
			break;
		case 'o':
			org = optarg;
			break;
		case 'p':
			phone = optarg;
			break;
		default:
			return cli_usage(ch, usage);
		}
	}
	if (name == NULL || email == NULL || optind != argc) {
		fputs(usage, stderr);
		return CLI_USAGE;
	}
	if ((rc = session_require(c)) != CLI_OK)
		return rc;
	body = json_pack(
	    "{s:s,s:s,s:s}", "name", name, "email", email, "organisation", org);
	if (phone != NULL)
		json_object_set_new(body, "phone", json_string(phone));
	http_post(cli_http(c), "/api/v1/contacts", body, &r);
	json_decref(body);
	if (r.status != 201)
		return cli_fail_answer(&r, "contacts add");
	if (c->json)
		cli_print_json(json_incref(r.json));
	else
		printf(
		    "%s\n", json_string_value(json_object_get(r.json, "id")));
	http_res_release(&r);
	return CLI_OK;
}

static void
print_bad_rows(const json_t *err)
{
	const json_t *line;
	size_t i;

	json_array_foreach(json_object_get(err, "lines"), i, line)
	{
		fprintf(stderr, "  line %" JSON_INTEGER_FORMAT ": %s: %s\n",
		    json_integer_value(json_object_get(line, "line")),
		    json_string_value(json_object_get(line, "field")),
		    json_string_value(json_object_get(line, "message")));
	}
}

int
contacts_import(struct cli *c, int argc, char **argv, const char *usage)
{
	struct http_req rq = { .method = "POST",
		.path = "/api/v1/contacts/import",
		.ctype = "text/csv" };
	struct http_res r;
	char *data;
	size_t n;
	FILE *f;
	int rc;

	if ((rc = cli_plain_opts(c, argc, argv, usage)) != CLI_OK)
		return rc == -1 ? CLI_OK : rc;
	if (optind + 1 != argc) {
		fputs(usage, stderr);
		return CLI_USAGE;
	}
	if ((f = fopen(argv[optind], "rb")) == NULL)
		return cli_fail(CLI_LOCAL, "cannot read %s: %s", argv[optind],
		    strerror(errno));
	data = xmalloc(CSV_MAX + 1);
	n = fread(data, 1, CSV_MAX + 1, f);
	fclose(f);
	if (n > CSV_MAX) {
		free(data);
		return cli_fail(
		    CLI_USAGE, "%s: larger than 1 MiB", argv[optind]);
	}
	if ((rc = session_require(c)) != CLI_OK) {
		free(data);
		return rc;
	}
	rq.body = data;
	rq.body_len = n;
	http_do(cli_http(c), &rq, &r);
	free(data);
	if (r.status == 400 && strcmp(r.code, "bad_csv") == 0)
		print_bad_rows(json_object_get(r.json, "error"));
	if (r.status != 200)
		return cli_fail_answer(
		    &r, "contacts import (nothing was stored)");
	if (c->json)
		cli_print_json(json_incref(r.json));
	else
		printf("imported %" JSON_INTEGER_FORMAT
		       " (%" JSON_INTEGER_FORMAT " new, %" JSON_INTEGER_FORMAT
		       " updated)\n",
		    json_integer_value(json_object_get(r.json, "imported")),
		    json_integer_value(json_object_get(r.json, "created")),
		    json_integer_value(json_object_get(r.json, "updated")));
	http_res_release(&r);
	return CLI_OK;
}

static int
to_stdout(void *arg, const char *p, size_t n)
{
	ST_UNUSED(arg);
	return fwrite(p, 1, n, stdout) == n ? 0 : -1;
}

int
contacts_export(struct cli *c, int argc, char **argv, const char *usage)
{
	struct http_req rq = { .method = "GET",
		.path = "/api/v1/contacts/export",
		.write = to_stdout };
	struct http_res r;
	int rc;

	if ((rc = cli_plain_opts(c, argc, argv, usage)) != CLI_OK)
		return rc == -1 ? CLI_OK : rc;
	if (optind != argc) {
		fputs(usage, stderr);
		return CLI_USAGE;
	}
	if ((rc = session_require(c)) != CLI_OK)
		return rc;
	http_do(cli_http(c), &rq, &r);
	if (r.status != 200)
		return cli_fail_answer(&r, "contacts export");
	http_res_release(&r);
	return fflush(stdout) == 0 ? CLI_OK : CLI_LOCAL;
}
