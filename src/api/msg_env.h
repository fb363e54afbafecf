/* The domain environment of a request (messages and uploads). */
#ifndef ST_API_MSG_ENV_H
#define ST_API_MSG_ENV_H

#include "domain/messages.h"

struct request;

void api_msg_env(struct request *req, struct msg_env *env);

#endif
