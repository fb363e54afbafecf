/*
 * POST /api/v1/csp-report: browsers report Content-Security-Policy
 * violations here (report-uri). A report is logged with its directive and
 * the blocked URI's scheme and host only, and counted; the E2E suite
 * asserts that none arrive. Exempt from CSRF: browsers send reports
 * without custom headers. So anyone can post them: at most CSP_PER_IP
 * reports a minute per client address are taken (429 after), and
 * CSP_LOGGED a minute in all are logged (the rest only counted), so a
 * flood cannot fill the log.
 */
#include "util/common.h"

#include <pthread.h>
#include <sodium.h>

#include "api/api.h"
#include "api/errors.h"
#include "http/json_body.h"
#include "http/metrics.h"
#include "http/request.h"
#include "util/clock.h"
#include "util/log.h"

#define CSP_PER_IP 10
#define CSP_LOGGED 100
#define CSP_SLOTS 1024 /* addresses tracked; a collision shares a count */

/* Fixed one-minute windows; one process's view (enough against a flood). */
static struct {
	pthread_mutex_t mu;
	int64_t minute;
	unsigned logged;
	unsigned per_slot[CSP_SLOTS];
	unsigned char key[crypto_shorthash_KEYBYTES];
	int keyed;
} limits = { .mu = PTHREAD_MUTEX_INITIALIZER };

/* 0: take the report (*log: and log it); -1: over the address's limit. */
static int
csp_admit(const char *ip, int *log)
{
	unsigned char h[crypto_shorthash_BYTES];
	int64_t minute = clock_now() / 60;
	uint64_t slot;
	int rc = 0;

	pthread_mutex_lock(&limits.mu);
	if (!limits.keyed) {
		randombytes_buf(limits.key, sizeof(limits.key));
		limits.keyed = 1;
	}
	if (limits.minute != minute) {
		memset(limits.per_slot, 0, sizeof(limits.per_slot));
		limits.logged = 0;
		limits.minute = minute;
	}
	/* Keyed, so no one can aim at another address's slot. */
	crypto_shorthash(h, (const unsigned char *)ip, strlen(ip), limits.key);
	memcpy(&slot, h, sizeof(slot));
	slot %= CSP_SLOTS;
	if (limits.per_slot[slot] >= CSP_PER_IP)
		rc = -1;
	else {
		limits.per_slot[slot]++;
		*log = limits.logged < CSP_LOGGED;
		if (*log)
			limits.logged++;
	}
	pthread_mutex_unlock(&limits.mu);
	return rc;
}

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
log_report(json_t *doc, int log)
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
	metrics_count("csp_reports");
	if (!log)
		return;
	log_warn("csp violation", "{s:s%,s:s}", "directive", dir ? dir : "",
	    (size_t)(dir ? strnlen(dir, 80) : 0), "blocked", origin);
}

void
api_csp_report(struct request *req)
{
	json_error_t err;
	json_t *doc, *one;
	size_t i;
	int log = 0;

	if (csp_admit(req->ip, &log) == -1) {
		api_error(req,
		    st_res_after(ST_LIMITED, 60, "too_many_reports",
		        "Too many reports from this address; try again later"));
		return;
	}
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
		    log_report(one, log);
	} else if (json_is_object(doc))
		log_report(doc, log);
	else {
		json_decref(doc);
		reply_error(req, 400, "bad_json", "Expected reports");
		return;
	}
	json_decref(doc);
	reply_empty(req, 204);
}
