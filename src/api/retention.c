/*
 * Withdrawal (R6, "Intrekken"): the sender purges a sent message at once;
 * the link then answers that the message was withdrawn.
 */
#include "util/common.h"

#include "api/api.h"
#include "api/errors.h"
#include "api/msg_env.h"
#include "domain/retention.h"
#include "http/request.h"

void
api_message_revoke(struct request *req)
{
	struct st_result r;
	struct msg_env env;

	api_msg_env(req, &env);
	r = retention_revoke(&env, req->user, req->params[0]);
	if (r.st == ST_OK)
		reply_json(req, 200,
		    json_pack(
		        "{s:s,s:s}", "id", req->params[0], "state", "revoked"));
	else
		api_error(req, r);
}
