/* contacts list, add, import, export (cmd_contacts.c). */
#ifndef ST_CLI_CONTACTS_H
#define ST_CLI_CONTACTS_H

#include "cli/cli.h"

int contacts_list(struct cli *c, int argc, char **argv, const char *usage);
int contacts_add(struct cli *c, int argc, char **argv, const char *usage);
int contacts_import(struct cli *c, int argc, char **argv, const char *usage);
int contacts_export(struct cli *c, int argc, char **argv, const char *usage);

#endif
