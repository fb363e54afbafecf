/* What an account outcome means to a caller: its result (result.h). */
#include "util/common.h"

#include "domain/accounts.h"

struct acct_reason {
	enum acct_status acct;
	enum st_status st;
	const char *code;
	const char *why;
};

static const struct acct_reason reasons[] = {
	{ ACCT_BAD_EMAIL, ST_INVALID, "bad_email",
	    "This is not a valid e-mail address" },
	{ ACCT_DOMAIN, ST_INVALID, "domain_not_connected",
	    "Only employees of connected organisations can register" },
	{ ACCT_WEAK_KDF, ST_INVALID, "weak_kdf",
	    "Key derivation parameters below the minimum" },
	{ ACCT_WEAK_PASSWORD, ST_INVALID, "weak_password",
	    "The password does not meet the rules" },
	{ ACCT_BAD_NAME, ST_INVALID, "bad_name",
	    "A name has 1 to 100 characters and no control characters" },
	{ ACCT_BAD_LANG, ST_INVALID, "bad_lang", "The language is nl or en" },
	{ ACCT_BAD_LOGIN, ST_UNAUTHORIZED, "bad_credentials",
	    "Unknown e-mail address or wrong password" },
	{ ACCT_NOT_VERIFIED, ST_FORBIDDEN, "not_verified",
	    "Verify your e-mail address first" },
	{ ACCT_LIMITED, ST_LIMITED, "rate_limited",
	    "Too many attempts; try again later" },
	{ ACCT_BUSY, ST_BUSY, "busy", "The server is busy; try again" },
	{ ACCT_TOKEN_INVALID, ST_INVALID, "token_invalid",
	    "This link is not valid or was already used" },
	{ ACCT_TOKEN_EXPIRED, ST_GONE, "token_expired",
	    "This link has expired" },
	{ ACCT_BAD_USER_ID, ST_INVALID, "bad_user_id",
	    "Make new keys and try again" },
	{ ACCT_BLOCKED, ST_FORBIDDEN, "account_blocked",
	    "This account is blocked; ask your administrator" },
};

struct st_result
acct_result(enum acct_status st, int64_t retry_after)
{
	size_t i;

	for (i = 0; i < ST_ARRAY_LEN(reasons); i++) {
		if (reasons[i].acct != st)
			continue;
		if (st == ACCT_LIMITED)
			return st_res_after(ST_LIMITED,
			    retry_after > 0 ? retry_after : 60, reasons[i].code,
			    reasons[i].why);
		/* The Argon2 pool frees a slot within a second or so. */
		if (st == ACCT_BUSY)
			return st_res_after(
			    ST_BUSY, 1, reasons[i].code, reasons[i].why);
		return st_res(reasons[i].st, reasons[i].code, reasons[i].why);
	}
	return st_res(ST_ERROR, "internal", "Internal error");
}
