/* CSRF checks and the cookie helpers; see csrf.h. */
#include "util/common.h"

#include <sodium.h>

#include "http/csrf.h"
#include "http/request.h"
#include "http/server.h"
#include "util/config.h"

const char *
cookie_name(const struct app *app, const char *base, char *out, size_t len)
{
	snprintf(out, len, "%s%s", app->secure_cookies ? "__Host-" : "", base);
	return out;
}

void
cookie_set(
    struct request *req, const char *base, const char *value, long max_age)
{
	char name[64], line[512];

	cookie_name(req->app, base, name, sizeof(name));
	if (max_age >= 0)
		snprintf(line, sizeof(line),
		    "%s=%s; Path=/; HttpOnly; "
		    "SameSite=Strict; Max-Age=%ld%s",
		    name, value, max_age,
		    req->app->secure_cookies ? "; Secure" : "");
	else
		snprintf(line, sizeof(line),
		    "%s=%s; Path=/; HttpOnly; "
		    "SameSite=Strict%s",
		    name, value, req->app->secure_cookies ? "; Secure" : "");
	reply_header(req, "Set-Cookie", line);
}

/* Origin must be the public origin, or this request's own scheme://Host
 * (tests and proxies that keep Host). */
static int
origin_ok(struct request *req)
{
	const char *origin = request_header(req, "Origin");
	const char *host = request_header(req, "Host");
	const char *pub = req->app->cfg->server_public_url;
	char own[300];

	if (origin == NULL)
		return 0;
	if (strcmp(origin, pub) == 0)
		return 1;
	if (host == NULL)
		return 0;
	snprintf(own, sizeof(own), "%s://%s", req->app->tls ? "https" : "http",
	    host);
	return strcmp(origin, own) == 0;
}

int
csrf_check(struct request *req)
{
	char name[64];
	const char *cookie, *header;
	size_t cl, hl;

	if (!origin_ok(req)) {
		reply_error(req, 403, "bad_origin",
		    "Cross-origin requests are not allowed");
		return -1;
	}
	cookie = request_cookie(
	    req, cookie_name(req->app, "st_csrf", name, sizeof(name)));
	header = request_header(req, "X-CSRF-Token");
	if (cookie == NULL || header == NULL ||
	    (cl = strlen(cookie)) != (hl = strlen(header)) ||
	    cl != RAND_TOKEN_LEN || sodium_memcmp(cookie, header, cl) != 0) {
		reply_error(req, 403, "csrf",
		    "Missing or wrong CSRF token; reload the page");
		return -1;
	}
	return 0;
}
