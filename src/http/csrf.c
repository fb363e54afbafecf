/* CSRF checks and the cookie helpers; see csrf.h. */
#include "util/common.h"

#include <ctype.h>
#include <sodium.h>
#include <strings.h>

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

/*
 * The origin of the public URL: scheme://host[:port], lower case, without
 * a path or the scheme's default port. Origin is compared with this only,
 * never with the request's Host: a client chooses its Host header, so an
 * Origin built from it proves nothing.
 */
static void
public_origin(const char *url, char *out, size_t len)
{
	const char *host = strstr(url, "://");
	size_t n, i;

	host = host != NULL ? host + 3 : url;
	n = (size_t)(host - url) + strcspn(host, "/?#");
	snprintf(out, len, "%.*s", (int)n, url);
	for (i = 0; out[i] != '\0'; i++)
		out[i] = (char)tolower((unsigned char)out[i]);
	n = strlen(out);
	if ((strncmp(out, "https://", 8) == 0 && n > 4 &&
	        strcmp(out + n - 4, ":443") == 0) ||
	    (strncmp(out, "http://", 7) == 0 && n > 3 &&
	        strcmp(out + n - 3, ":80") == 0))
		*strrchr(out, ':') = '\0';
}

static int
origin_ok(struct request *req)
{
	const char *origin = request_header(req, "Origin");
	char want[300];

	if (origin == NULL)
		return 0;
	public_origin(req->app->cfg->server_public_url, want, sizeof(want));
	return strcasecmp(origin, want) == 0;
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
