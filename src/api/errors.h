/*
 * Domain results (domain/result.h) to the HTTP status, the JSON error
 * body and Retry-After, in one place (STYLE.md rule 12).
 */
#ifndef ST_API_ERRORS_H
#define ST_API_ERRORS_H

#include <stdint.h>

#include "domain/fault.h"
#include "domain/result.h"

struct request;

/*
 * Answers r (r.st != ST_OK): its status, {"error":{code,message}}, and on
 * a 429, 503 or 507 Retry-After: r.retry_after, or 60, 5 and 300 seconds.
 */
void api_error(struct request *req, struct st_result r);
/* A wrong or locked code (401, 423) says how many tries are left in
 * error.attempts_left; other results as api_error. */
void api_code_error(struct request *req, struct st_result r, int64_t left);

/*
 * Answers a request that failed for database fault f (db.h) instead of
 * with a 500: 503 with Retry-After while the database is locked, read-only
 * or unreachable, 507 while its disk is full; the JSON error names which.
 */
void api_db_fault_error(struct request *req, enum st_fault f);

#endif
