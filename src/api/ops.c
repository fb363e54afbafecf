/*
 * Health, readiness and metrics (O5). On the internal ops listener they
 * are open; on the main listener only with `Authorization: Bearer
 * <ops.token>`, or when ops.expose_on_main is set (development). Anyone
 * else gets the same 404 as for a path that does not exist.
 */
#include "util/common.h"

#include <sodium.h>

#include "api/api.h"
#include "db/db.h"
#include "http/metrics.h"
#include "http/request.h"
#include "http/server.h"
#include "util/config.h"

static int
ops_allowed(struct request *req)
{
	const struct config *cfg = req->app->cfg;
	const char *auth;
	size_t tl;

	if (req->ops_listener || cfg->ops_expose_on_main)
		return 1;
	tl = strlen(cfg->ops_token);
	auth = request_header(req, "Authorization");
	if (tl == 0 || auth == NULL || strncmp(auth, "Bearer ", 7) != 0)
		return 0;
	auth += 7;
	return strlen(auth) == tl &&
	    sodium_memcmp(auth, cfg->ops_token, tl) == 0;
}

static int
deny(struct request *req)
{
	if (ops_allowed(req))
		return 0;
	req->is_api = 1;
	reply_error(req, 404, "not_found", "Not found");
	return 1;
}

void
api_healthz(struct request *req)
{
	if (deny(req))
		return;
	req->is_api = 1;
	reply_json(req, 200, json_pack("{s:s}", "status", "ok"));
}

void
api_readyz(struct request *req)
{
	struct db_conn *c;
	struct db_stmt *s;
	int ok;

	if (deny(req))
		return;
	req->is_api = 1;
	if (atomic_load(&req->app->stopping)) {
		reply_error(req, 503, "stopping", "Shutting down");
		return;
	}
	c = db_get(req->app->db);
	s = db_query(c, "SELECT 1", DB_NOPARAMS);
	ok = s != NULL && db_next(s) == DB_ROW;
	db_done(s);
	db_put(c);
	if (!ok) {
		reply_error(req, 503, "database", "Database unavailable");
		reply_header(req, "Retry-After", "5");
		return;
	}
	reply_json(req, 200, json_pack("{s:s}", "status", "ready"));
}

void
api_metrics(struct request *req)
{
	struct buf b;

	if (deny(req))
		return;
	req->is_api = 1;
	buf_init(&b, 8u << 20);
	if (metrics_render(&b) == -1) {
		buf_release(&b);
		reply_error(req, 500, "internal", "Metrics too large");
		return;
	}
	reply_bytes(req, 200, "text/plain; version=0.0.4; charset=utf-8",
	    buf_str(&b), b.len);
	buf_release(&b);
}
