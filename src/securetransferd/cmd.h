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
 * Shared start-up: takes --config FILE (or $ST_CONFIG) and --print-config
 * from anywhere in argv (removing them and updating *argc), --help from before the first
 * operand, loads the configuration, creates the data folders. Returns 0,
 * 1 on error (reported), 2 on bad usage, or 3 when --help or
 * --print-config was printed (nothing else to do).
 */
int cmd_setup(
    int *argc, char **argv, const char *usage, struct config *cfg, int *argi);
/*
 * Opens the database and applies migrations; NULL on failure. A database
 * that a newer binary migrated (versions this one does not know) is
 * refused with strict (migrate), and only warned about otherwise: during
 * a rolling upgrade the old nodes keep serving on the added schema.
 */
struct db *cmd_open_db(const struct config *cfg, int strict);
/* `securetransferd --print-config [--config FILE]`. */
int cmd_print_config(int argc, char **argv);

#endif
