/*
 * send --resume: finish a send that a crash or a network failure left in
 * state uploading, from its resume record (sendstate.h).
 */
#ifndef ST_CLI_SENDRESUME_H
#define ST_CLI_SENDRESUME_H

#include "cli/cli.h"

/* id NULL: the only resume record there is. A CLI_* exit code. */
int send_resume(struct cli *c, const char *id);

#endif
