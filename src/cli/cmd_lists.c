/* list, report and contacts: the read-mostly commands. */
#include "util/common.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <getopt.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/http.h"
#include "cli/opts.h"
#include "cli/contacts.h"
#include "cli/progress.h"
#include "cli/session.h"
#include "util/rand.h"

static const char list_usage[] =
    "usage: securetransfer list [--sent | --received] [--search TEXT]\n"
    "                           [--state STATE] [--limit N] [--all]\n"
    "\n"
    "Messages sent (the default) or received, newest first: id, state,\n"
    "date, the other party, subject, files and size. --all follows every\n"
    "page.\n";

static const char report_usage[] =
    "usage: securetransfer report MESSAGE_ID [--pdf FILE] [--force]\n"
    "\n"
    "The report of a message: its state and the timeline of its events.\n"
    "--pdf writes the PDF report (\"Download rapportage\") to FILE.\n";

static const char contacts_usage[] =
    "usage: securetransfer contacts [list] [--search TEXT]\n"
    "       securetransfer contacts add --name NAME --email ADDR\n"
    "                               [--organisation ORG] [--phone NUMBER]\n"
    "       securetransfer contacts import FILE.csv\n"
    "       securetransfer contacts export\n"
    "\n"
    "The address book. import takes a CSV with the columns Naam, E-mailadres\n"
    "and optionally Organisatie and Mobiel nummer, all rows or none; export\n"
    "writes the address book as CSV to stdout.\n";

static void
when(json_int_t t, char *out, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0 || localtime_r(&tt, &tm) == NULL)
		snprintf(out, len, "-");
	else
		strftime(out, len, "%Y-%m-%d %H:%M", &tm);
}

static void
print_messages(const json_t *msgs)
{
	const json_t *m;
	size_t i;

	json_array_foreach(msgs, i, m)
	{
		const json_t *cp = json_object_get(m, "counterpart");
		json_int_t at = json_integer_value(
		    json_object_get(m, "sent_at"));
		char date[32], size[32];

		when(at ? at :
		          json_integer_value(json_object_get(m, "created_at")),
		    date, sizeof(date));
		progress_size((uint64_t)json_integer_value(
		                  json_object_get(m, "total_size")),
		    size, sizeof(size));
		printf("%s  %-10s  %s  %-30s  %s  (%" JSON_INTEGER_FORMAT
		       " files, %s)\n",
		    json_string_value(json_object_get(m, "id")),
		    json_string_value(json_object_get(m, "state")), date,
		    json_string_value(json_object_get(cp, "email")),
		    json_string_value(json_object_get(m, "subject")),
		    json_integer_value(json_object_get(m, "files")), size);
	}
}

static void
add_param(char *path, size_t len, const char *key, const char *value)
{
	char *e;
	size_t n = strlen(path);

	if (value == NULL)
		return;
	e = curl_easy_escape(NULL, value, 0);
	snprintf(path + n, len - n, "&%s=%s", key, e ? e : "");
	curl_free(e);
}

int
cmd_list(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sent", no_argument, NULL, 's' },
		{ "received", no_argument, NULL, 'r' },
		{ "search", required_argument, NULL, 'q' },
		{ "state", required_argument, NULL, 't' },
		{ "limit", required_argument, NULL, 'l' },
		{ "all", no_argument, NULL, 'a' },
		CLI_COMMON_OPTS,
		{ NULL, 0, NULL, 0 },
	};
	const char *box = "sent", *q = NULL, *state = NULL, *limit = "50";
	char *next = NULL;
	json_t *all = json_array();
	struct http_res r;
	char path[1200];
	int ch, every = 0, rc = CLI_OK;

	while ((ch = cli_getopt(c, argc, argv, "h", opts)) != -1) {
		switch (ch) {
		case 's':
			box = "sent";
			break;
		case 'r':
			box = "received";
			break;
		case 'q':
			q = optarg;
			break;
		case 't':
			state = optarg;
			break;
		case 'l':
			limit = optarg;
			break;
		case 'a':
			every = 1;
			break;
		default:
			json_decref(all);
			return cli_usage(ch, list_usage);
		}
	}
	if (optind != argc || (rc = session_require(c)) != CLI_OK) {
		json_decref(all);
		return optind != argc ? CLI_USAGE : rc;
	}
	for (;;) {
		snprintf(path, sizeof(path), "/api/v1/messages?box=%s", box);
		add_param(path, sizeof(path), "limit", limit);
		add_param(path, sizeof(path), "q", q);
		add_param(path, sizeof(path), "state", state);
		add_param(path, sizeof(path), "before", next);
		if (http_get(cli_http(c), path, &r) != 0 || r.status != 200) {
			json_decref(all);
			free(next);
			return cli_fail_answer(&r, "list");
		}
		json_array_extend(all, json_object_get(r.json, "messages"));
		if (!c->json)
			print_messages(json_object_get(r.json, "messages"));
		free(next);
		next = NULL;
		if (every && json_is_string(json_object_get(r.json, "next")))
			next = xstrdup(
			    json_string_value(json_object_get(r.json, "next")));
		http_res_release(&r);
		if (next == NULL)
			break;
	}
	if (c->json)
		cli_print_json(
		    json_pack("{s:s,s:o}", "box", box, "messages", all));
	else
		json_decref(all);
	return CLI_OK;
}

static int
to_fd(void *arg, const char *p, size_t n)
{
	int fd = *(int *)arg;

	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* GET path into file (through a temporary name). An exit code. */
static int
save_to(struct cli *c, const char *path, const char *file, int force)
{
	struct http_req rq = { .method = "GET", .path = path, .write = to_fd };
	struct http_res r;
	char tmp[4200];
	int fd, rc;

	if (!force && access(file, F_OK) == 0)
		return cli_fail(
		    CLI_LOCAL, "%s exists; --force replaces it", file);
	snprintf(tmp, sizeof(tmp), "%s.part", file);
	fd = open(
	    tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd == -1)
		return cli_fail(CLI_LOCAL, "%s: %s", tmp, strerror(errno));
	rq.write_arg = &fd;
	http_do(cli_http(c), &rq, &r);
	if (r.status != 200) {
		close(fd);
		unlink(tmp);
		return cli_fail_answer(&r, "pdf");
	}
	http_res_release(&r);
	rc = fsync(fd) == 0 && close(fd) == 0 && rename(tmp, file) == 0 ?
	    CLI_OK :
	    cli_fail(CLI_LOCAL, "%s: %s", file, strerror(errno));
	if (rc != CLI_OK)
		unlink(tmp);
	return rc;
}

static void
print_report(const json_t *doc)
{
	const json_t *m = json_object_get(doc, "message"), *e, *rc;
	const json_t *ev = json_object_get(doc, "events");
	size_t i;

	rc = json_object_get(m, "recipient");
	printf("Message:   %s\n", json_string_value(json_object_get(m, "id")));
	printf(
	    "State:     %s\n", json_string_value(json_object_get(m, "state")));
	printf("Subject:   %s\n",
	    json_string_value(json_object_get(m, "subject")));
	printf("Reference: %s\n",
	    json_string_value(json_object_get(m, "reference")));
	printf(
	    "To:        %s\n", json_string_value(json_object_get(rc, "email")));
	json_array_foreach(ev, i, e)
	{
		json_int_t ms = json_integer_value(json_object_get(e, "at_ms"));
		const char *fname = json_string_value(
		    json_object_get(e, "file_name"));
		const char *to = json_string_value(json_object_get(e, "to"));
		char date[32];

		when(ms / 1000, date, sizeof(date));
		printf("  %s  %-14s %-9s%s%s%s%s\n", date,
		    json_string_value(json_object_get(e, "kind")),
		    json_string_value(json_object_get(e, "by")),
		    fname ? " " : "", fname ? fname : "", to ? " " : "",
		    to ? to : "");
	}
}

int
cmd_report(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pdf", required_argument, NULL, 'p' },
		{ "force", no_argument, NULL, 'f' },
		CLI_COMMON_OPTS,
		{ NULL, 0, NULL, 0 },
	};
	const char *pdf = NULL, *id;
	struct http_res r;
	char path[120];
	int ch, force = 0, rc;

	while ((ch = cli_getopt(c, argc, argv, "fh", opts)) != -1) {
		if (ch == 'p')
			pdf = optarg;
		else if (ch == 'f')
			force = 1;
		else {
			return cli_usage(ch, report_usage);
		}
	}
	if (optind + 1 != argc) {
		fputs(report_usage, stderr);
		return CLI_USAGE;
	}
	id = argv[optind];
	if (!rand_id_valid(id))
		return cli_fail(CLI_USAGE, "not a message id: %s", id);
	if ((rc = session_require(c)) != CLI_OK)
		return rc;
	if (pdf != NULL) {
		snprintf(
		    path, sizeof(path), "/api/v1/messages/%s/report.pdf", id);
		if ((rc = save_to(c, path, pdf, force)) == CLI_OK && c->json)
			cli_print_json(
			    json_pack("{s:s,s:s}", "id", id, "pdf", pdf));
		return rc;
	}
	snprintf(path, sizeof(path), "/api/v1/messages/%s/events", id);
	if (http_get(cli_http(c), path, &r) != 0 || r.status != 200)
		return cli_fail_answer(&r, "report");
	if (c->json)
		cli_print_json(json_incref(r.json));
	else
		print_report(r.json);
	http_res_release(&r);
	return CLI_OK;
}

int
cmd_contacts(struct cli *c, int argc, char **argv)
{
	const char *sub = argc > 1 && argv[1][0] != '-' ? argv[1] : "list";

	if (argc > 1 &&
	    (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(contacts_usage, stdout);
		return CLI_OK;
	}
	if (argc > 1 && argv[1][0] != '-') {
		argc--;
		argv++;
	}
	if (strcmp(sub, "list") == 0)
		return contacts_list(c, argc, argv, contacts_usage);
	if (strcmp(sub, "add") == 0)
		return contacts_add(c, argc, argv, contacts_usage);
	if (strcmp(sub, "import") == 0)
		return contacts_import(c, argc, argv, contacts_usage);
	if (strcmp(sub, "export") == 0)
		return contacts_export(c, argc, argv, contacts_usage);
	fputs(contacts_usage, stderr);
	return cli_fail(CLI_USAGE, "unknown contacts command '%s'", sub);
}
