/*
 * Do this node's server secrets match the installation's? The first start
 * on a database records a check value of each secret (migration 0013);
 * every later start, on any node, compares. Several nodes with different
 * secrets would each work alone and fail each other's logins, sessions,
 * tokens and outbox rows (docs/deploy.md, "Every node").
 */
#ifndef ST_SECRET_CHECKS_DB_H
#define ST_SECRET_CHECKS_DB_H

#include <stdint.h>

#include "util/secrets.h"

struct db;

enum secret_check {
	SECRET_CHECK_OK, /* recorded now, or the same as recorded */
	SECRET_CHECK_MISMATCH, /* *which: the file name of a secret that differs */
	SECRET_CHECK_ERROR /* database error (logged by the driver) */
};

/* now: seconds, stored with a first record. */
enum secret_check secret_checks_verify(
    struct db *db, const struct secrets *s, int64_t now, const char **which);

#endif
