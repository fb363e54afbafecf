/*
 * The subcommands of securetransferd. Each gets argc/argv from its own
 * name on and returns the process exit status (0 ok, 1 failure, 2 usage).
 */
#ifndef ST_CMD_H
#define ST_CMD_H

struct config;
struct db;

int cmd_serve(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_admin(int argc, char **argv);
int cmd_purge(int argc, char **argv);

/*
 * Shared start-up: parses --config FILE (or $ST_CONFIG) and --help from
 * argv, loads the configuration, creates the data folders. Returns 0,
 * 1 on error (reported), or 3 when --help was printed (usage text).
 */
int cmd_setup(
    int argc, char **argv, const char *usage, struct config *cfg, int *argi);
/* Opens the database and applies migrations; NULL on failure. */
struct db *cmd_open_db(const struct config *cfg);

#endif
