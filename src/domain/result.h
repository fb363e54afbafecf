/*
 * The one result type of the domain modules (accounts, messages and
 * uploads, the address book and templates, second factors,
 * administration): what happened, the API error code and message that
 * say why, and, for a retryable outcome, when to come back. api/errors.c
 * alone turns a result into an HTTP status and the JSON error; the
 * domain says nothing about HTTP beyond the status each value stands for.
 * code and why are static strings (never owned).
 */
#ifndef ST_RESULT_H
#define ST_RESULT_H

#include <stdint.h>

enum st_status {
	ST_OK,
	ST_INVALID, /* 400: bad input; code and why say which */
	ST_UNAUTHORIZED, /* 401: no capability, a wrong code or factor */
	ST_FORBIDDEN, /* 403 */
	ST_NOT_FOUND, /* 404: absent or not the caller's */
	ST_CONFLICT, /* 409 */
	ST_GONE, /* 410: expired, withdrawn, the window closed */
	ST_TOO_LARGE, /* 413 */
	ST_UNPROCESSABLE, /* 422: an idempotency key reused */
	ST_LOCKED, /* 423: too many wrong codes */
	ST_LIMITED, /* 429: rate limited; retry_after */
	ST_ERROR, /* 500 */
	ST_BUSY, /* 503: busy or a part unavailable; retry_after */
	ST_NO_SPACE /* 507: the disk reserve would be used; retry_after */
};

struct st_result {
	enum st_status st;
	const char *code; /* the API error code; NULL for ST_OK */
	const char *why; /* the message */
	int64_t retry_after; /* seconds; 0: the mapper's default */
};

/* A result in one expression: return st_res(ST_GONE, "expired", "…"). */
static inline struct st_result
st_res(enum st_status st, const char *code, const char *why)
{
	struct st_result r = { st, code, why, 0 };

	return r;
}

/* A retryable result that names its own Retry-After (seconds). */
static inline struct st_result
st_res_after(
    enum st_status st, int64_t retry_after, const char *code, const char *why)
{
	struct st_result r = { st, code, why, retry_after };

	return r;
}

#define ST_RESULT_OK st_res(ST_OK, NULL, NULL)
/* A database error inside a domain function (500). */
#define ST_DB_ERROR st_res(ST_ERROR, "internal", "database")
/* An error the server does not explain (500 "Internal error"). */
#define ST_INTERNAL_RESULT st_res(ST_ERROR, "internal", "Internal error")
/* The database could not be read or written just now (503). */
#define ST_BUSY_RESULT st_res(ST_BUSY, "busy", "The server is busy; try again")

#endif
