/* Shared by the Beheer handlers (admin*.c); not for other modules. */
#ifndef ST_API_ADMIN_INT_H
#define ST_API_ADMIN_INT_H

#include "domain/admin.h"

struct request;

/* The admin_env of a request: the administrator is the actor. */
void api_admin_env(struct request *req, struct admin_env *env);

#endif
