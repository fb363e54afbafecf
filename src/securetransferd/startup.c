/* Start-up shared by the subcommands: options, config, folders, database. */
#include "util/common.h"

#include <getopt.h>
#include <sys/stat.h>

#include "db/db.h"
#include "securetransferd/cmd.h"
#include "util/config.h"
#include "util/fsutil.h"
#include "util/log.h"

static const struct option long_opts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "help", no_argument, NULL, 'h' },
	{ "print-config", no_argument, NULL, 'p' },
	{ NULL, 0, NULL, 0 },
};

static enum log_level
level_of(const char *s)
{
	if (strcmp(s, "debug") == 0)
		return LOG_DEBUG;
	if (strcmp(s, "warn") == 0)
		return LOG_WARN;
	if (strcmp(s, "error") == 0)
		return LOG_ERROR;
	return LOG_INFO;
}

/*
 * Takes --config FILE (-c FILE, --config=FILE) and --print-config out of
 * argv wherever they stand before a "--", so `admin domain list --config
 * F` works like `admin --config F domain list`; the subcommand's own
 * options (admin mailbox create --owner) stay. 0, or 2 on a --config
 * without its file.
 */
static int
take_global_opts(int *argc, char **argv, const char **path, int *print)
{
	int i, j = 1;

	for (i = 1; i < *argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			while (i < *argc)
				argv[j++] = argv[i++];
			break;
		}
		if (strcmp(a, "--config") == 0 || strcmp(a, "-c") == 0) {
			if (i + 1 >= *argc)
				return 2;
			*path = argv[++i];
		} else if (strncmp(a, "--config=", 9) == 0) {
			*path = a + 9;
		} else if (strcmp(a, "--print-config") == 0) {
			*print = 1;
		} else {
			argv[j++] = argv[i];
		}
	}
	*argc = j;
	argv[j] = NULL;
	return 0;
}

int
cmd_setup(
    int *argcp, char **argv, const char *usage, struct config *cfg, int *argi)
{
	const char *path = getenv("ST_CONFIG");
	char err[512];
	int ch, print = 0, argc;

	if (take_global_opts(argcp, argv, &path, &print) != 0) {
		fprintf(stderr, "%s", usage);
		return 2;
	}
	argc = *argcp;
	optind = 1;
	opterr = 0;
	/* '+': stop at the first operand, so "admin domain add" works. */
	while ((ch = getopt_long(argc, argv, "+h", long_opts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			fputs(usage, stdout);
			return 3;
		default:
			fprintf(stderr, "%s", usage);
			return 2;
		}
	}
	*argi = optind;
	if (config_load(cfg, path != NULL && *path ? path : NULL, err,
	        sizeof(err)) == -1) {
		fprintf(stderr, "securetransferd: configuration: %s\n", err);
		return 1;
	}
	if (print) {
		config_dump(cfg, stdout);
		config_release(cfg);
		return 3;
	}
	log_set_level(level_of(cfg->log_level));
	if ((strcmp(cfg->database_driver, "sqlite") == 0 &&
	        mkdir_parent(cfg->database_path, 0700) == -1) ||
	    mkdir_p(cfg->store_path, 0700) == -1 ||
	    mkdir_p(cfg->mail_dir, 0700) == -1 ||
	    mkdir_parent(cfg->sms_log_path, 0700) == -1) {
		fprintf(stderr,
		    "securetransferd: cannot create data folders: "
		    "%s\n",
		    strerror(errno));
		config_release(cfg);
		return 1;
	}
	return 0;
}

int
cmd_print_config(int argc, char **argv)
{
	static const char usage[] =
	    "usage: securetransferd --print-config [--config FILE]\n"
	    "\n"
	    "Prints the effective configuration (defaults, the file, the\n"
	    "ST_* environment) as INI, secrets shown as (set), and exits.\n";
	struct config cfg;
	const char *path = getenv("ST_CONFIG");
	char err[512];
	int print = 1;

	if (take_global_opts(&argc, argv, &path, &print) != 0 || argc != 1) {
		fputs(usage, stderr);
		return 2;
	}
	if (config_load(&cfg, path != NULL && *path ? path : NULL, err,
	        sizeof(err)) == -1) {
		fprintf(stderr, "securetransferd: configuration: %s\n", err);
		return 1;
	}
	config_dump(&cfg, stdout);
	config_release(&cfg);
	return 0;
}

struct db *
cmd_open_db(const struct config *cfg, int strict)
{
	struct db *db;
	int r;

	if (db_open(cfg, &db) == -1)
		return NULL;
	if ((r = db_migrate(db)) == -1 || (r == 1 && strict)) {
		db_close(db);
		return NULL;
	}
	if (r == 1)
		log_warn("running on a schema a newer version made (a rolling "
		         "upgrade in progress?): upgrade this node",
		    NULL);
	return db;
}
