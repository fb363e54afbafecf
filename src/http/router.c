/* Path matching against the route table; see router.h. */
#include "util/common.h"

#include "http/router.h"

#define SEG_MAX 64

static int
seg_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

/* Matches one path against one pattern; captures into params. */
static int
match(const char *pat, const char *path, char **params, size_t nparams)
{
	size_t np = 0, i;

	while (*pat != '\0' && *path != '\0') {
		if (*pat == ':' || *pat == '*') {
			const char *start = path;
			size_t len;

			while (*path != '\0' && *path != '/') {
				if (!seg_char_ok(*path))
					goto fail;
				path++;
			}
			len = (size_t)(path - start);
			if (len == 0 || len > SEG_MAX || np == nparams)
				goto fail;
			/* "." and ".." are never a parameter. */
			if (start[0] == '.')
				goto fail;
			params[np++] = xstrndup(start, len);
			while (*pat != '\0' && *pat != '/')
				pat++;
			continue;
		}
		if (*pat != *path)
			goto fail;
		pat++;
		path++;
	}
	if (*pat == '\0' && *path == '\0')
		return 1;
fail:
	for (i = 0; i < np; i++) {
		free(params[i]);
		params[i] = NULL;
	}
	return 0;
}

static int
same_method(const char *route_method, const char *method)
{
	/* HEAD is answered by GET routes unless a route claims HEAD. */
	return strcmp(route_method, method) == 0 ||
	    (strcmp(method, "HEAD") == 0 && strcmp(route_method, "GET") == 0);
}

enum route_match
router_match(const char *method, const char *path, size_t *idx, char **params,
    size_t nparams, char *allow, size_t allowlen)
{
	char *scratch[8] = { 0 };
	int path_seen = 0;
	size_t i, j, alen = 0;

	allow[0] = '\0';
	/* An exact method match first, so HEAD routes beat GET ones. */
	for (i = 0; i < nroutes; i++)
		if (strcmp(routes[i].method, method) == 0 &&
		    match(routes[i].pattern, path, params, nparams)) {
			*idx = i;
			return ROUTE_FOUND;
		}
	for (i = 0; i < nroutes; i++) {
		if (!match(routes[i].pattern, path, scratch,
		        ST_ARRAY_LEN(scratch)))
			continue;
		for (j = 0; j < ST_ARRAY_LEN(scratch); j++) {
			free(scratch[j]);
			scratch[j] = NULL;
		}
		if (same_method(routes[i].method, method)) {
			(void)match(routes[i].pattern, path, params, nparams);
			*idx = i;
			return ROUTE_FOUND;
		}
		path_seen = 1;
		if (strstr(allow, routes[i].method) == NULL) {
			int n = snprintf(allow + alen, allowlen - alen, "%s%s",
			    alen ? ", " : "", routes[i].method);

			if (n > 0 && (size_t)n < allowlen - alen)
				alen += (size_t)n;
		}
	}
	return path_seen ? ROUTE_BAD_METHOD : ROUTE_NO_PATH;
}
