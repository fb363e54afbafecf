/*
 * Health, readiness and metrics (O5). On the internal ops listener they
 * are open; on the main listener only with `Authorization: Bearer
 * <ops.token>`, or when ops.expose_on_main is set (development). Anyone
 * else gets the same 404 as for a path that does not exist.
 */
#include "util/common.h"

#include <sodium.h>

#include "api/api.h"
#include "api/errors.h"
#include "domain/health.h"
#include "http/metrics.h"
#include "http/request.h"
#include "http/server.h"
#include "notify/mailtext.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/log.h"

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

/*
 * The parts of readiness, in order; the first that fails names the 503.
 * Each returns 0 when ready, or -1 with a message for the operator (no
 * path, no secret: the answer may reach a load balancer's log).
 */
struct ready_check {
	const char *part;
	int (*check)(struct request *req, const char **why);
};

/*
 * Not ready while the database takes no writes: locked by another process
 * or node, a full disk, read-only, unreachable (db_ready, bounded).
 */
static int
ready_database(struct request *req, const char **why)
{
	static _Thread_local char msg[96];
	char reason[32];

	if (health_database(req->app->db, reason, sizeof(reason)))
		return 0;
	snprintf(msg, sizeof(msg), "Database takes no writes: %s", reason);
	*why = msg;
	return -1;
}

static int
ready_store(struct request *req, const char **why)
{
	const char *step;

	if (health_store_probe(req->app->store, &step) == 0)
		return 0;
	if (strcmp(step, "write") == 0)
		*why = "Object store: cannot write a probe object";
	else if (strcmp(step, "read") == 0 || strcmp(step, "compare") == 0)
		*why = "Object store: cannot read a probe object back";
	else
		*why = "Object store: cannot delete a probe object";
	return -1;
}

static int
ready_web_root(struct request *req, const char **why)
{
	*why = "Front end missing in server.web_root (index.html)";
	return health_file(req->app->cfg->server_web_root, "index.html");
}

static int
ready_mail_texts(struct request *req, const char **why)
{
	const char *root = req->app->cfg->server_web_root;

	/* Both languages: a mail in English needs its catalogue as well. */
	*why = "Mail texts missing in server.web_root (" MAILTEXT_FILE ")";
	if (health_file(root, MAILTEXT_FILE) == -1)
		return -1;
	*why = "Mail texts missing in server.web_root (" MAILTEXT_FILE_EN ")";
	return health_file(root, MAILTEXT_FILE_EN);
}

static const struct ready_check ready_checks[] = {
	{ "database", ready_database },
	{ "store", ready_store },
	{ "web_root", ready_web_root },
	{ "mail_texts", ready_mail_texts },
};

void
api_readyz(struct request *req)
{
	const char *why = NULL;
	json_t *parts;
	size_t i;

	if (deny(req))
		return;
	req->is_api = 1;
	if (atomic_load(&req->app->stopping)) {
		api_error(req, st_res(ST_BUSY, "stopping", "Shutting down"));
		return;
	}
	parts = json_object();
	for (i = 0; i < ST_ARRAY_LEN(ready_checks); i++) {
		if (ready_checks[i].check(req, &why) == -1) {
			json_decref(parts);
			log_warn("not ready", "{s:s,s:s}", "part",
			    ready_checks[i].part, "reason", why);
			api_error(req,
			    st_res_after(
			        ST_BUSY, 5, ready_checks[i].part, why));
			return;
		}
		json_object_set_new(
		    parts, ready_checks[i].part, json_string("ok"));
	}
	reply_json(req, 200,
	    json_pack("{s:s,s:o}", "status", "ready", "checks", parts));
}

/* The figures of the moment; never waits for a database connection. */
static void
snapshot(struct request *req, struct metrics_snapshot *snap)
{
	struct health_db_figures f;

	health_db_figures(req->app->db, clock_now(), &f);
	memset(snap, 0, sizeof(*snap));
	snap->database_driver = req->app->cfg->database_driver;
	snap->store_driver = req->app->cfg->store_driver;
	snap->db_pool_size = f.pool_size;
	snap->db_pool_in_use = f.pool_in_use;
	snap->db_pool_waiting = f.pool_waiting;
	snap->db_ok = f.outbox_ok;
	snap->outbox_pending = f.outbox_pending;
	snap->outbox_oldest_age = f.outbox_oldest_age;
}

void
api_metrics(struct request *req)
{
	struct metrics_snapshot snap;
	struct buf b;

	if (deny(req))
		return;
	req->is_api = 1;
	snapshot(req, &snap);
	buf_init(&b, 8u << 20);
	if (metrics_render(&b, &snap) == -1) {
		buf_release(&b);
		reply_error(req, 500, "internal", "Metrics too large");
		return;
	}
	reply_bytes(req, 200, "text/plain; version=0.0.4; charset=utf-8",
	    buf_str(&b), b.len);
	buf_release(&b);
}
