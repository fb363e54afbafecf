/* The method a request is taken as; see method.h. */
#include "util/common.h"

#include "http/method.h"
#include "http/request.h"

/* The tus upload endpoints: /api/v1/uploads[/id], and the same under
 * /api/v1/q/<token>/. */
int
method_tus_path(const char *url)
{
	const char *p;

	if (strncmp(url, "/api/v1/", 8) != 0)
		return 0;
	p = url + 8;
	if (strncmp(p, "q/", 2) == 0 && (p = strchr(p + 2, '/')) != NULL)
		p++;
	return p != NULL && strncmp(p, "uploads", 7) == 0 &&
	    (p[7] == '\0' || (p[7] == '/' && strchr(p + 8, '/') == NULL));
}

/*
 * tus core: a client behind a proxy that passes only GET and POST sends
 * POST with X-HTTP-Method-Override; the server must take that as the
 * method. Only there, and only for PATCH and DELETE (CSRF and every other
 * check then apply to the method taken). NULL: refused (answered).
 */
const char *
method_effective(struct request *req, const char *url, const char *method)
{
	const char *o = request_header(req, "X-HTTP-Method-Override");

	if (o == NULL)
		return method;
	if (strcmp(method, "POST") == 0 && method_tus_path(url) &&
	    (strcmp(o, "PATCH") == 0 || strcmp(o, "DELETE") == 0))
		return o;
	req->is_api = 1;
	reply_error(req, 400, "bad_method_override",
	    "X-HTTP-Method-Override: only PATCH or DELETE, on a POST to a tus "
	    "upload");
	return NULL;
}
