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

struct config;
struct db;
struct secrets;

enum admin_status {
	ADMIN_OK,
	ADMIN_INVALID, /* 400 */
	ADMIN_FORBIDDEN, /* 403: e.g. the last administrator */
	ADMIN_NOT_FOUND, /* 404 */
	ADMIN_CONFLICT, /* 409 */
	ADMIN_BUSY, /* 503 */
	ADMIN_ERROR /* 500 */
};

struct admin_result {
	enum admin_status st;
	const char *code; /* the API error code */
	const char *why; /* the message */
};

static inline struct admin_result
admin_res(enum admin_status st, const char *code, const char *why)
{
	struct admin_result r = { st, code, why };

	return r;
}

#define ADMIN_OK_RESULT admin_res(ADMIN_OK, NULL, NULL)
#define ADMIN_DB_ERROR admin_res(ADMIN_ERROR, "internal", "database")

#define ADMIN_CLI "admin-cli"

struct admin_env {
	const struct config *cfg;
	struct db *db;
	const struct secrets *sec;
	const char *actor; /* ADMIN_CLI or the administrator's id */
	const char *ip; /* NULL from the command line */
};

#endif
