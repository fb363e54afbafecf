/*
 * The subcommands of securetransferd. Each gets argc/argv from its own
 * name on and returns the process exit status (0 ok, 1 failure, 2 usage).
 */
#ifndef ST_CMD_H
#define ST_CMD_H

struct config;
struct db;
struct tlog_signer;

int cmd_serve(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_admin(int argc, char **argv);
int cmd_purge(int argc, char **argv);
int cmd_log(int argc, char **argv);

/* logkey.c: the transparency log's key from server.secrets_dir (made on
 * first use); 0 or -1 (logged). */
int log_key_load(const struct config *cfg, struct tlog_signer *s);
/* -1 (logged) when server.web_root holds a bundle built for another log
 * key; a bundle without one is only warned about. */
int log_key_matches_bundle(
    const struct config *cfg, const struct tlog_signer *s);

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
