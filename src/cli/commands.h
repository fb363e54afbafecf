/*
 * The commands of securetransfer, one function each (main.c's command
 * table calls them; each cmd_*.c defines its own). Apart from cli.h, the
 * helpers every command uses, so that the commands depend on the helpers
 * and main.c on the commands, never both ways.
 */
#ifndef ST_CLI_COMMANDS_H
#define ST_CLI_COMMANDS_H

#include "cli/cli.h"

/* Commands: each returns an exit code. argv[0] is the command name. */
int cmd_login(struct cli *c, int argc, char **argv);
int cmd_logout(struct cli *c, int argc, char **argv);
int cmd_whoami(struct cli *c, int argc, char **argv);
int cmd_send(struct cli *c, int argc, char **argv);
int cmd_receive(struct cli *c, int argc, char **argv);
int cmd_list(struct cli *c, int argc, char **argv);
int cmd_report(struct cli *c, int argc, char **argv);
int cmd_contacts(struct cli *c, int argc, char **argv);
int cmd_request(struct cli *c, int argc, char **argv);
int cmd_keys(struct cli *c, int argc, char **argv);
int cmd_log(struct cli *c, int argc, char **argv);

#endif
