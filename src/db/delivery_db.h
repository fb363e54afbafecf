/*
 * SQL for strict delivery (migration 0018): an organisation's delivery
 * policy, and the sender's sealed copy of a strict message's link secret.
 */
#ifndef ST_DELIVERY_DB_H
#define ST_DELIVERY_DB_H

#include <stddef.h>

#include "db/db.h"

/* The policy text of a connected domain into out: 1 found, 0 the domain
 * is not connected, -1 error. */
int delivery_db_org_get(
    struct db_conn *c, const char *domain, char *out, size_t outlen);
/* Stores it: 1 changed, 0 not connected, -1 error. */
int delivery_db_org_set(
    struct db_conn *c, const char *domain, const char *policy);
/* The sealed copy of S of message id (caller frees), or NULL when there
 * is none (standard mode, an old client, purged) or on an error. */
char *delivery_db_secret_sealed(struct db_conn *c, const char *id);

#endif
