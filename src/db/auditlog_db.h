/*
 * SQL for the audit log: audit_add writes an event; the rest reads the
 * log (O4) on the Audit page: filtered by actor
 * (an account's address, or admin-cli), action, organisation (the domain
 * of the actor's or the subject's address, or the domain itself) and time,
 * newest first, a page at a time from a cursor.
 */
#ifndef ST_AUDITLOG_DB_H
#define ST_AUDITLOG_DB_H

#include <stdint.h>

#include "db/db.h"

struct auditlog_filter {
	const char *actor; /* "" any; an address or "admin-cli" */
	const char *kind; /* "" any; "login." matches every login.* */
	const char *domain; /* "" any */
	int64_t from_us, to_us; /* [from, to) */
	int64_t before_us; /* cursor: rows older than (before_us, before_id) */
	const char *before_id; /* "" none */
	int64_t limit;
};

struct auditlog_row {
	const char *id;
	int64_t at_us;
	const char *actor; /* the account's address, the actor as written
	                      (admin-cli), or NULL */
	const char *ip, *kind, *subject, *detail;
};

/* Appends an audit event; detail is a JSON text without secrets. */
enum db_status audit_add(struct db_conn *c, const char *actor, const char *ip,
    const char *kind, const char *subject, const char *detail);

int auditlog_db_query(struct db_conn *c, const struct auditlog_filter *f,
    void (*fn)(const struct auditlog_row *r, void *arg), void *arg);
/* The distinct kinds in the log, for the action filter. */
int auditlog_db_kinds(
    struct db_conn *c, void (*fn)(const char *kind, void *arg), void *arg);

#endif
