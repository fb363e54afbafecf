/*
 * GET /api/v1/session: whether a user is logged in, and a fresh CSRF
 * token (with its cookie) for the state-changing calls that follow.
 */
#include "util/common.h"

#include <sodium.h>

#include "api/api.h"
#include "http/csrf.h"
#include "http/request.h"

void
api_session_get(struct request *req)
{
	char tok[RAND_TOKEN_LEN + 1];

	rand_token(tok);
	reply_json(req, 200, json_pack("{s:b,s:s,s:n}", "authenticated", 0,
	    "csrf", tok, "user"));
	cookie_set(req, "st_csrf", tok, -1);
	sodium_memzero(tok, sizeof(tok));
}
