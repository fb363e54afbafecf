/* Mapping domain results to responses (STYLE.md rule 12). */
#include "util/common.h"

#include "api/errors.h"
#include "http/metrics.h"
#include "http/request.h"

struct mapping {
	enum acct_status st;
	unsigned status;
	const char *code;
	const char *message;
};

static const struct mapping acct_map[] = {
	{ ACCT_BAD_EMAIL, 400, "bad_email",
	    "This is not a valid e-mail "
	    "address" },
	{ ACCT_DOMAIN, 400, "domain_not_connected",
	    "Only employees of "
	    "connected organisations can register" },
	{ ACCT_WEAK_KDF, 400, "weak_kdf",
	    "Key derivation parameters below "
	    "the minimum" },
	{ ACCT_WEAK_PASSWORD, 400, "weak_password",
	    "The password does not "
	    "meet the rules" },
	{ ACCT_BAD_NAME, 400, "bad_name",
	    "A name has 1 to 100 characters "
	    "and no control characters" },
	{ ACCT_BAD_LANG, 400, "bad_lang", "The language is nl or en" },
	{ ACCT_BAD_LOGIN, 401, "bad_credentials",
	    "Unknown e-mail address "
	    "or wrong password" },
	{ ACCT_NOT_VERIFIED, 403, "not_verified",
	    "Verify your e-mail "
	    "address first" },
	{ ACCT_LIMITED, 429, "rate_limited",
	    "Too many attempts; try again "
	    "later" },
	{ ACCT_BUSY, 503, "busy", "The server is busy; try again" },
	{ ACCT_TOKEN_INVALID, 400, "token_invalid",
	    "This link is not valid "
	    "or was already used" },
	{ ACCT_TOKEN_EXPIRED, 410, "token_expired", "This link has expired" },
	{ ACCT_BAD_USER_ID, 400, "bad_user_id",
	    "Make new keys and "
	    "try again" },
	{ ACCT_BLOCKED, 403, "account_blocked",
	    "This account is blocked; ask your administrator" },
};

void
api_acct_error(struct request *req, enum acct_status st, int64_t retry_after)
{
	char ra[32];
	size_t i;

	for (i = 0; i < ST_ARRAY_LEN(acct_map); i++) {
		if (acct_map[i].st != st)
			continue;
		reply_error(req, acct_map[i].status, acct_map[i].code,
		    acct_map[i].message);
		if (st == ACCT_LIMITED) {
			snprintf(ra, sizeof(ra), "%" PRId64,
			    retry_after > 0 ? retry_after : 60);
			reply_header(req, "Retry-After", ra);
		} else if (st == ACCT_BUSY)
			reply_header(req, "Retry-After", "1");
		return;
	}
	reply_error(req, 500, "internal", "Internal error");
}

void
api_msg_error(struct request *req, struct msg_result r)
{
	static const unsigned status[] = {
		[MSG_OK] = 200,
		[MSG_INVALID] = 400,
		[MSG_TOO_LARGE] = 413,
		[MSG_NO_SPACE] = 507,
		[MSG_NOT_FOUND] = 404,
		[MSG_FORBIDDEN] = 403,
		[MSG_CONFLICT] = 409,
		[MSG_GONE] = 410,
		[MSG_UNAUTHORIZED] = 401,
		[MSG_LOCKED] = 423,
		[MSG_LIMITED] = 429,
		[MSG_BUSY] = 503,
		[MSG_ERROR] = 500,
		[MSG_UNPROCESSABLE] = 422,
	};

	reply_error(req, status[r.st], r.code ? r.code : "internal",
	    r.why ? r.why : "Internal error");
	if (r.st == MSG_NO_SPACE)
		reply_header(req, "Retry-After", "300");
	if (r.st == MSG_LIMITED || r.st == MSG_BUSY)
		reply_header(
		    req, "Retry-After", r.st == MSG_BUSY ? "5" : "3600");
}

void
api_code_error(struct request *req, struct msg_result r, int64_t left)
{
	json_t *err;

	if (r.st != MSG_UNAUTHORIZED && r.st != MSG_LOCKED) {
		api_msg_error(req, r);
		return;
	}
	err = json_pack("{s:{s:s,s:s,s:I}}", "error", "code", r.code, "message",
	    r.why, "attempts_left", (json_int_t)left);
	reply_json(req, r.st == MSG_LOCKED ? 423 : 401, err);
}

void
api_book_error(struct request *req, struct book_result r)
{
	static const unsigned status[] = {
		[BOOK_OK] = 200,
		[BOOK_INVALID] = 400,
		[BOOK_NOT_FOUND] = 404,
		[BOOK_CONFLICT] = 409,
		[BOOK_LIMIT] = 400,
		[BOOK_BUSY] = 503,
		[BOOK_ERROR] = 500,
	};

	reply_error(req, status[r.st], r.code ? r.code : "internal",
	    r.why ? r.why : "Internal error");
	if (r.st == BOOK_BUSY)
		reply_header(req, "Retry-After", "1");
}

void
api_db_fault_error(struct request *req, enum db_fault f)
{
	static const struct {
		unsigned status;
		const char *code, *message, *retry_after, *metric;
	} map[] = {
		[DB_FAULT_NONE] = { 500, "internal", "Internal error", NULL,
		    NULL },
		[DB_FAULT_LOCKED] = { 503, "database_busy",
		    "The database is busy; try again in a moment", "5",
		    "db_fault_answers_locked" },
		[DB_FAULT_DOWN] = { 503, "database_unavailable",
		    "The database cannot be reached; try again later", "10",
		    "db_fault_answers_unavailable" },
		[DB_FAULT_READONLY] = { 503, "database_read_only",
		    "The database does not accept changes at the moment; try "
		    "again later",
		    "60", "db_fault_answers_read_only" },
		[DB_FAULT_FULL] = { 507, "insufficient_storage",
		    "The server's disk is full; try again later", "60",
		    "db_fault_answers_disk_full" },
	};
	size_t i = (size_t)f < ST_ARRAY_LEN(map) ? (size_t)f : 0;

	if (map[i].metric != NULL)
		metrics_count(map[i].metric);
	reply_error(req, map[i].status, map[i].code, map[i].message);
	if (map[i].retry_after != NULL)
		reply_header(req, "Retry-After", map[i].retry_after);
}

void
api_factor_error(struct request *req, struct factor_result r)
{
	static const unsigned status[] = {
		[FACTOR_OK] = 200,
		[FACTOR_INVALID] = 400,
		[FACTOR_WRONG] = 401,
		[FACTOR_STEP_UP] = 401,
		[FACTOR_EXPIRED] = 401,
		[FACTOR_FORBIDDEN] = 403,
		[FACTOR_NOT_FOUND] = 404,
		[FACTOR_CONFLICT] = 409,
		[FACTOR_LIMITED] = 429,
		[FACTOR_BUSY] = 503,
		[FACTOR_ERROR] = 500,
	};

	reply_error(req, status[r.st], r.code ? r.code : "internal",
	    r.why ? r.why : "Internal error");
	if (r.st == FACTOR_LIMITED)
		reply_header(req, "Retry-After", "900");
	else if (r.st == FACTOR_BUSY)
		reply_header(req, "Retry-After", "1");
}

void
api_admin_error(struct request *req, struct admin_result r)
{
	static const unsigned status[] = {
		[ADMIN_OK] = 200,
		[ADMIN_INVALID] = 400,
		[ADMIN_FORBIDDEN] = 403,
		[ADMIN_NOT_FOUND] = 404,
		[ADMIN_CONFLICT] = 409,
		[ADMIN_BUSY] = 503,
		[ADMIN_ERROR] = 500,
	};

	reply_error(req, status[r.st], r.code ? r.code : "internal",
	    r.why ? r.why : "Internal error");
	if (r.st == ADMIN_BUSY)
		reply_header(req, "Retry-After", "1");
}
