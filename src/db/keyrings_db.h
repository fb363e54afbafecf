/* SQL for the account keyrings (migration 0014); every query names the
 * owner. */
#ifndef ST_KEYRINGS_DB_H
#define ST_KEYRINGS_DB_H

#include <stdint.h>

#include "db/db.h"

/* The user's keyring: 1 found (*blob is the caller's to free), 0 none
 * (*version 0, *blob NULL), -1 error. */
int keyrings_db_get(
    struct db_conn *c, const char *uid, int64_t *version, char **blob);
/*
 * Replaces the keyring if its version is still expect (0: there is none
 * yet); the stored version becomes expect + 1. 1 stored, 0 another
 * version is there now (nothing changed), -1 error.
 */
int keyrings_db_put(struct db_conn *c, const char *uid, int64_t expect,
    const char *blob, int64_t now);
enum db_status keyrings_db_delete(struct db_conn *c, const char *uid);

#endif
