/*
 * SQL for the connected organisations' policies (migration 0019): one row
 * per domain; a NULL column means the server-wide setting. The delivery
 * policy is not here: db/delivery_db.h (migration 0018) has it.
 */
#ifndef ST_ORGS_DB_H
#define ST_ORGS_DB_H

#include <stdint.h>

#include "db/db.h"

struct orgs_db_row {
	const char *domain;
	int64_t added_at, updated_at; /* updated_at 0: never changed */
	int64_t retention; /* seconds; 0: server-wide */
	const char *extensions; /* NULL: server-wide */
	int64_t max_message_bytes; /* 0: server-wide */
	int outsiders;
	const char *sms_prefixes; /* NULL: server-wide */
	int64_t accounts; /* persons with an address at the domain */
};

typedef void (*orgs_db_fn)(const struct orgs_db_row *r, void *arg);

/* Every organisation, by domain. 0, or -1. */
int orgs_db_list(struct db_conn *c, orgs_db_fn fn, void *arg);
/* One: 1 (fn called), 0 not connected, -1. */
int orgs_db_get(
    struct db_conn *c, const char *domain, orgs_db_fn fn, void *arg);
/* Writes the policy columns of r (r->domain names the row): 1, 0, -1. */
int orgs_db_put(struct db_conn *c, const struct orgs_db_row *r, int64_t now);

/* Connects a domain (O2): DB_CONSTRAINT when it is already connected. */
enum db_status orgs_db_add(struct db_conn *c, const char *domain, int64_t now);
/* Disconnects: 0 removed, 1 was not connected, -1 error. */
int orgs_db_remove(struct db_conn *c, const char *domain);
/* The connected domains in order: 0, or -1. */
int orgs_db_domains(
    struct db_conn *c, void (*fn)(const char *domain, void *arg), void *arg);
/* 1 connected, 0 not, -1 error. */
int orgs_db_is_connected(struct db_conn *c, const char *domain);

#endif
