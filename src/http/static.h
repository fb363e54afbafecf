/*
 * The built front end (server.web_root): hashed assets with immutable
 * caching, a few top-level files, and index.html for every page path.
 * Names come from the route table's captured segments, which allow only
 * [A-Za-z0-9._-] and never a leading dot, so no path can leave the root.
 */
#ifndef ST_STATIC_H
#define ST_STATIC_H

struct request;

/* Opens server.web_root; -1 (logged) when there is no built front end. */
int static_open_root(const char *path);

void static_asset(struct request *req); /* GET /assets/:name */
void static_root_file(struct request *req); /* GET /:name */
void static_i18n(struct request *req); /* GET /i18n/:name */
void static_page(struct request *req); /* a page: index.html */
/* Unknown paths: 404 JSON for the API, index.html with 404 for pages. */
void static_not_found(struct request *req);

#endif
