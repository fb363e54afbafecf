/*
 * securetransferd: the SecureTransfer server and its administration
 * commands in one binary.
 */
#include "util/common.h"

#include <curl/curl.h>
#include <sodium.h>
#include <sys/stat.h>

#include "securetransferd/cmd.h"

static const char usage[] =
    "usage: securetransferd [--version] [--help] <command> [<args>]\n"
    "       securetransferd --print-config [--config FILE]\n"
    "\n"
    "commands:\n"
    "  serve     run the web server and background workers\n"
    "  migrate   apply database migrations and exit\n"
    "  admin     manage connected domains and users\n"
    "  purge     purge expired messages once and exit\n"
    "  log       the key-transparency log: log key prints its public key\n"
    "\n"
    "Each command takes --config FILE anywhere on the line (default:\n"
    "$ST_CONFIG, else built-in defaults), --print-config and --help.\n"
    "Settings can be overridden by ST_<SECTION>_<KEY> environment\n"
    "variables; an unknown ST_* variable stops the start. See\n"
    "securetransferd(8).\n";

int
main(int argc, char **argv)
{
	const char *cmd;

	/* Every file the server makes is its own only: the database and its
	 * -wal and -shm, objects, outbox mails, the SMS log, secrets. The
	 * modes given to open(2) and mkdir(2) already say so; this also
	 * covers the files libraries create (SQLite's). */
	umask(077);
	if (sodium_init() < 0) {
		fprintf(
		    stderr, "securetransferd: cannot initialise libsodium\n");
		return 1;
	}
	/* Before any thread: the S3 store, SMTP and the SMS gateway use
	 * libcurl from several threads at once. */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "securetransferd: cannot initialise libcurl\n");
		return 1;
	}
	if (argc < 2) {
		fputs(usage, stderr);
		return 2;
	}
	cmd = argv[1];
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
		printf("securetransferd %s\n", ST_VERSION);
		return 0;
	}
	if (strcmp(cmd, "--print-config") == 0 ||
	    strcmp(cmd, "--config") == 0 || strncmp(cmd, "--config=", 9) == 0)
		return cmd_print_config(argc, argv);
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
	    strcmp(cmd, "help") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (strcmp(cmd, "serve") == 0)
		return cmd_serve(argc - 1, argv + 1);
	if (strcmp(cmd, "migrate") == 0)
		return cmd_migrate(argc - 1, argv + 1);
	if (strcmp(cmd, "admin") == 0)
		return cmd_admin(argc - 1, argv + 1);
	if (strcmp(cmd, "purge") == 0)
		return cmd_purge(argc - 1, argv + 1);
	if (strcmp(cmd, "log") == 0)
		return cmd_log(argc - 1, argv + 1);
	fprintf(
	    stderr, "securetransferd: unknown command '%s'\n\n%s", cmd, usage);
	return 2;
}
