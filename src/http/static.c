/* Serving the built front end; see static.h. */
#include "util/common.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/request.h"
#include "http/server.h"
#include "http/static.h"
#include "util/log.h"

struct ctype {
	const char *ext;
	const char *type;
};

static const struct ctype ctypes[] = {
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".html", "text/html; charset=utf-8" },
	{ ".json", "application/json; charset=utf-8" },
	{ ".map", "application/json; charset=utf-8" },
	{ ".svg", "image/svg+xml; charset=utf-8" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".wasm", "application/wasm" },
	{ ".woff2", "font/woff2" },
	{ ".txt", "text/plain; charset=utf-8" },
};

int
static_open_root(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd != -1 && faccessat(fd, "index.html", R_OK, 0) == -1) {
		close(fd);
		fd = -1;
	}
	if (fd == -1)
		log_error("no front end in server.web_root (a folder with "
		          "index.html: the built web/dist, installed as "
		          "share/securetransfer/web)",
		    "{s:s,s:s}", "web_root", path, "error", strerror(errno));
	return fd;
}

static const char *
content_type(const char *name)
{
	const char *dot = strrchr(name, '.');
	size_t i;

	if (dot != NULL)
		for (i = 0; i < ST_ARRAY_LEN(ctypes); i++)
			if (strcmp(dot, ctypes[i].ext) == 0)
				return ctypes[i].type;
	return "application/octet-stream";
}

/* Opens dir/name below the web root; -1 unless it is a regular file. */
static int
open_file(
    struct request *req, const char *dir, const char *name, uint64_t *size)
{
	char rel[256];
	struct stat st;
	int fd, n;

	if (req->app->web_root_fd == -1 || name == NULL || name[0] == '.')
		return -1;
	n = dir != NULL ? snprintf(rel, sizeof(rel), "%s/%s", dir, name) :
	                  snprintf(rel, sizeof(rel), "%s", name);
	if (n < 0 || (size_t)n >= sizeof(rel))
		return -1;
	fd = openat(
	    req->app->web_root_fd, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1)
		return -1;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	*size = (uint64_t)st.st_size;
	return fd;
}

static void index_html(struct request *req, unsigned status);

static void
serve(struct request *req, const char *dir, const char *name, const char *cache)
{
	uint64_t size;
	int fd;

	if ((fd = open_file(req, dir, name, &size)) == -1) {
		req->is_api = 1; /* a JSON 404, never cached */
		reply_error(req, 404, "not_found", "Not found");
		return;
	}
	reply_fd(req, 200, content_type(name), fd, size);
	reply_header(req, "Cache-Control", cache);
}

void
static_asset(struct request *req)
{
	/* Asset names carry a content hash: they never change. */
	serve(req, "assets", req->params[0],
	    "public, max-age=31536000, immutable");
}

void
static_root_file(struct request *req)
{
	uint64_t size;
	int fd;

	if (strcmp(req->params[0], "index.html") == 0) {
		static_page(req);
		return;
	}
	/* Not a file of the front end: an unknown page, answered as one. */
	if ((fd = open_file(req, NULL, req->params[0], &size)) == -1) {
		index_html(req, 404);
		return;
	}
	reply_fd(req, 200, content_type(req->params[0]), fd, size);
	reply_header(req, "Cache-Control", "public, max-age=3600");
}

void
static_i18n(struct request *req)
{
	serve(req, "i18n", req->params[0], "no-cache");
}

static void
index_html(struct request *req, unsigned status)
{
	uint64_t size;
	int fd;

	if ((fd = open_file(req, NULL, "index.html", &size)) == -1) {
		req->is_api = 1;
		reply_error(req, 503, "no_front_end",
		    "The front end has not been built");
		return;
	}
	reply_fd(req, status, "text/html; charset=utf-8", fd, size);
	reply_header(req, "Cache-Control", "no-cache");
}

void
static_page(struct request *req)
{
	index_html(req, 200);
}

static int
b64u_run(const char **p)
{
	const char *s = *p;

	while ((**p >= 'a' && **p <= 'z') || (**p >= 'A' && **p <= 'Z') ||
	    (**p >= '0' && **p <= '9') || **p == '_' || **p == '-')
		(*p)++;
	return *p > s;
}

/*
 * A link whose '#' a mail gateway encoded (SECURITY.md W14: %23, or %2523
 * from Safe Links, so the decoded path holds '#' or "%23"): /r/<id>#<S>,
 * /q/<token>#<fp>. The page repairs it (web/src/lib/fragment.js); it is
 * served as the page it is, with 200. The path is never logged.
 */
static int
mangled_link(const char *path)
{
	const char *p = path;

	if (path == NULL ||
	    (strncmp(p, "/r/", 3) != 0 && strncmp(p, "/q/", 3) != 0))
		return 0;
	p += 3;
	if (!b64u_run(&p))
		return 0;
	if (*p == '#')
		p++;
	else if (strncmp(p, "%23", 3) == 0)
		p += 3;
	else
		return 0;
	(void)b64u_run(&p);
	return *p == '\0';
}

void
static_not_found(struct request *req)
{
	if (!req->is_api &&
	    (strcmp(req->method, "GET") == 0 ||
	        strcmp(req->method, "HEAD") == 0)) {
		index_html(req, mangled_link(req->path) ? 200 : 404);
		return;
	}
	req->is_api = 1;
	reply_error(req, 404, "not_found", "Not found");
}
