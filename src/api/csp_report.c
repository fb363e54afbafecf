/*
 * POST /api/v1/csp-report: browsers report Content-Security-Policy
 * violations here (report-uri). A report is logged with its directive and
 * the blocked URI's scheme and host only, and counted; the E2E suite
 * asserts that none arrive. Exempt from CSRF: browsers send reports
 * without custom headers.
 */
#include "util/common.h"

#include "api/api.h"
#include "http/json_body.h"
#include "http/metrics.h"
#include "http/request.h"
#include "util/log.h"

/* "https://evil.example/x?y" -> "https://evil.example" */
static void
origin_of(const char *uri, char *out, size_t len)
{
	const char *p = strstr(uri, "://");
	size_t n;

	if (p == NULL) {
		snprintf(out, len, "%.40s", uri);
		return;
	}
	n = (size_t)(p - uri) + 3 + strcspn(p + 3, "/?#");
	snprintf(out, len, "%.*s", (int)(n < 120 ? n : 120), uri);
}

/* Logs one report: the old report-uri shape or one Reporting API entry. */
static void
log_report(json_t *doc)
{
	json_t *rep = json_object_get(doc, "csp-report");
	const char *dir = NULL, *blocked = NULL;
	char origin[128];

	if (rep == NULL)
		rep = json_object_get(doc, "body");
	if (json_is_object(rep)) {
		dir = json_string_value(
		    json_object_get(rep, "violated-directive"));
		if (dir == NULL)
			dir = json_string_value(
			    json_object_get(rep, "effectiveDirective"));
		blocked = json_string_value(
		    json_object_get(rep, "blocked-uri"));
		if (blocked == NULL)
			blocked = json_string_value(
			    json_object_get(rep, "blockedURL"));
	}
	origin_of(blocked ? blocked : "", origin, sizeof(origin));
	log_warn("csp violation", "{s:s%,s:s}", "directive", dir ? dir : "",
	    (size_t)(dir ? strnlen(dir, 80) : 0), "blocked", origin);
	metrics_count("csp_reports");
}

void
api_csp_report(struct request *req)
{
	json_error_t err;
	json_t *doc, *one;
	size_t i;

	/* application/reports+json is an array of reports; report-uri
	 * sends one object. */
	if (!json_depth_ok(buf_str(&req->body), req->body.len, 8) ||
	    (doc = json_loadb(buf_str(&req->body), req->body.len,
	         JSON_REJECT_DUPLICATES, &err)) == NULL) {
		reply_error(req, 400, "bad_json", "The body is not valid JSON");
		return;
	}
	if (json_is_array(doc) && json_array_size(doc) <= 32) {
		json_array_foreach(doc, i, one) if (json_is_object(one))
		    log_report(one);
	} else if (json_is_object(doc))
		log_report(doc);
	else {
		json_decref(doc);
		reply_error(req, 400, "bad_json", "Expected reports");
		return;
	}
	json_decref(doc);
	reply_empty(req, 204);
}
