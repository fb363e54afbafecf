/*
 * POST /api/v1/csp-report: browsers report Content-Security-Policy
 * violations here (report-uri). A report is logged with its directive and
 * the blocked URI's scheme and host only, and counted; the E2E suite
 * asserts that none arrive. Exempt from CSRF: browsers send reports
 * without custom headers.
 */
#include "util/common.h"

#include "api/api.h"
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

void
api_csp_report(struct request *req)
{
	json_t *doc, *rep;
	const char *dir = "", *blocked = "";
	char origin[128];

	if ((doc = request_json(req)) == NULL)
		return;
	rep = json_object_get(doc, "csp-report");
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
	json_decref(doc);
	reply_empty(req, 204);
}
