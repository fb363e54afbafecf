/* Domain results to HTTP status and the JSON error body, in one place. */
#ifndef ST_API_ERRORS_H
#define ST_API_ERRORS_H

#include <stdint.h>

#include "db/db.h"
#include "domain/accounts.h"
#include "domain/admin.h"
#include "domain/factors.h"
#include "domain/book.h"
#include "domain/messages.h"

struct request;

/* Answers the error for st; retry_after is used for ACCT_LIMITED. */
void api_acct_error(
    struct request *req, enum acct_status st, int64_t retry_after);

/* Answers the error of a messages/uploads result (r.st != MSG_OK). */
void api_msg_error(struct request *req, struct msg_result r);
/* A wrong or locked code (401, 423) says how many tries are left in
 * error.attempts_left; other results as api_msg_error. */
void api_code_error(struct request *req, struct msg_result r, int64_t left);

/* Answers the error of an address book or template result (not BOOK_OK). */
void api_book_error(struct request *req, struct book_result r);

/*
 * Answers a request that failed for database fault f (db.h) instead of
 * with a 500: 503 with Retry-After while the database is locked, read-only
 * or unreachable, 507 while its disk is full; the JSON error names which.
 */
void api_db_fault_error(struct request *req, enum db_fault f);
/* Answers the error of a second-factor result (not FACTOR_OK). */
void api_factor_error(struct request *req, struct factor_result r);
/* Answers the error of an administration result (not ADMIN_OK). */
void api_admin_error(struct request *req, struct admin_result r);

#endif
