/*
 * What the administration modules share (O6, "Beheer"): the result type of
 * staff.c (accounts), orgpolicy.c (organisations), auditlog.c (the audit
 * log) and usage.c (the overview), and who is acting. The command line
 * (securetransferd admin) and the pages call the same functions, so both
 * write the same audit events; the actor is "admin-cli" or the
 * administrator's account id. None of these functions returns a message's
 * subject, reference, text, file name or recipient, a wrapped key, a
 * manifest or ciphertext: only accounts, counts and sizes.
 */
#ifndef ST_ADMIN_H
#define ST_ADMIN_H

#include "domain/result.h"

struct config;
struct db;
struct secrets;

#define ADMIN_CLI "admin-cli"

struct admin_env {
	const struct config *cfg;
	struct db *db;
	const struct secrets *sec;
	const char *actor; /* ADMIN_CLI or the administrator's id */
	const char *ip; /* NULL from the command line */
};

#endif
