/* Domain results to HTTP status and the JSON error body, in one place. */
#ifndef ST_API_ERRORS_H
#define ST_API_ERRORS_H

#include <stdint.h>

#include "domain/accounts.h"

struct request;

/* Answers the error for st; retry_after is used for ACCT_LIMITED. */
void api_acct_error(
    struct request *req, enum acct_status st, int64_t retry_after);

#endif
