/* Shared by admin.c and admin_log.c (securetransferd admin). */
#ifndef ST_ADMIN_CLI_H
#define ST_ADMIN_CLI_H

#include "domain/admin.h"

/* Prints r's code and message to stderr; returns 1. */
int admin_fail(struct st_result r);
/* The value of --name in argv (NULL when absent; *bad when twice or
 * without a value). */
const char *admin_opt(int argc, char **argv, const char *name, int *bad);
/* argv is pairs of a known --name and a value. */
int admin_opts_ok(int argc, char **argv, const char *const *known);

int admin_mailbox_cmd(
    const struct admin_env *env, int argc, char **argv, const char *usage);
int admin_audit_cmd(
    const struct admin_env *env, int argc, char **argv, const char *usage);
int admin_overview_cmd(
    const struct admin_env *env, int argc, char **argv, const char *usage);

#endif
