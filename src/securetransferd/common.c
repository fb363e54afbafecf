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

int
cmd_setup(
    int argc, char **argv, const char *usage, struct config *cfg, int *argi)
{
	const char *path = getenv("ST_CONFIG");
	char err[512];
	int ch;

	optind = 1;
	opterr = 0;
	/* '+': stop at the first operand, so "admin domain add" works. */
	while ((ch = getopt_long(argc, argv, "+c:h", long_opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
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

struct db *
cmd_open_db(const struct config *cfg)
{
	struct db *db;

	if (db_open(cfg, &db) == -1)
		return NULL;
	if (db_migrate(db) == -1) {
		db_close(db);
		return NULL;
	}
	return db;
}
