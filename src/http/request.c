/*
 * Handing a request to another thread and back (request.h). Kept apart
 * from server.c so that the pool that finishes requests (offload.c) does
 * not depend on the server that starts them.
 */
#include "util/common.h"

#include <microhttpd.h>

#include "http/request.h"

void
request_suspend(struct request *req)
{
	req->deferred = 1;
	MHD_suspend_connection(req->conn);
}

void
request_resume(struct request *req)
{
	/* libmicrohttpd calls on_request again, on the connection's thread,
	 * which sends the answer. */
	MHD_resume_connection(req->conn);
}
