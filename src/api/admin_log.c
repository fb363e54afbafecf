/*
 * Beheer (O6): the audit log (paged, and as CSV for Dutch Excel) and the
 * overview (counts and sizes per day or week, the storage in use, the
 * outbox).
 */
#include "util/common.h"

#include "api/admin_int.h"
#include "api/api.h"
#include "api/errors.h"
#include "domain/auditlog.h"
#include "domain/usage.h"
#include "http/request.h"
#include "util/buf.h"
#include "util/num.h"

#define CSV_MAX (64u << 20)

static const char *
q(struct request *req, const char *name)
{
	const char *v = request_query(req, name);

	return v != NULL ? v : "";
}

static void
read_query(struct request *req, struct auditlog_query *aq)
{
	aq->actor = q(req, "actor");
	aq->kind = q(req, "kind");
	aq->domain = q(req, "domain");
	aq->from = q(req, "from");
	aq->to = q(req, "to");
	aq->cursor = q(req, "cursor");
}

static json_t *
str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

void
api_admin_audit(struct request *req)
{
	struct auditlog_query aq;
	struct auditlog_page p;
	struct admin_env env;
	struct st_result r;
	json_t *arr, *kinds;
	char **k = NULL;
	size_t i, nk = 0;

	read_query(req, &aq);
	api_admin_env(req, &env);
	if ((r = auditlog_page(&env, &aq, &p)).st != ST_OK) {
		api_error(req, r);
		return;
	}
	arr = json_array();
	for (i = 0; i < p.n; i++) {
		json_t *detail = NULL;

		/* detail is JSON written by the server itself. */
		if (p.e[i].detail != NULL)
			detail = json_loads(p.e[i].detail, 0, NULL);
		json_array_append_new(arr,
		    json_pack("{s:s,s:I,s:o,s:o,s:o,s:o,s:o}", "id", p.e[i].id,
		        "at_us", (json_int_t)p.e[i].at_us, "actor",
		        str_or_null(p.e[i].actor), "ip", str_or_null(p.e[i].ip),
		        "kind", str_or_null(p.e[i].kind), "subject",
		        str_or_null(p.e[i].subject), "detail",
		        detail != NULL ? detail : json_null()));
	}
	kinds = json_array();
	if (auditlog_kinds(&env, &k, &nk).st == ST_OK)
		for (i = 0; i < nk; i++)
			json_array_append_new(kinds, json_string(k[i]));
	for (i = 0; i < nk; i++)
		free(k[i]);
	free(k);
	reply_json(req, 200,
	    json_pack("{s:o,s:o,s:o}", "entries", arr, "next_cursor",
	        p.next_cursor[0] ? json_string(p.next_cursor) : json_null(),
	        "kinds", kinds));
	auditlog_page_release(&p);
}

void
api_admin_audit_csv(struct request *req)
{
	struct auditlog_query aq;
	struct admin_env env;
	struct st_result r;
	struct buf b;
	const char *lang = q(req, "lang");

	read_query(req, &aq);
	api_admin_env(req, &env);
	buf_init(&b, CSV_MAX);
	r = auditlog_csv(&env, &aq, strcmp(lang, "en") == 0 ? "en" : "nl", &b);
	if (r.st != ST_OK)
		api_error(req, r);
	else {
		reply_bytes(req, 200, "text/csv; charset=utf-8", b.data, b.len);
		reply_header(req, "Content-Disposition",
		    "attachment; filename=\"audit.csv\"");
	}
	buf_release(&b);
}

void
api_admin_overview(struct request *req)
{
	struct usage_report rep;
	struct admin_env env;
	struct st_result r;
	uint64_t count = 0;
	const char *period = q(req, "period");
	json_t *buckets, *queue, *one;
	size_t i, m;

	if (*period == '\0')
		period = "day";
	if (num_parse_u64(*q(req, "count") ? q(req, "count") : "30", 1, 1000,
	        &count) == -1) {
		reply_error(req, 400, "bad_field", "count");
		return;
	}
	api_admin_env(req, &env);
	r = usage_report(&env, q(req, "domain"), period, (int64_t)count, &rep);
	if (r.st != ST_OK) {
		api_error(req, r);
		return;
	}
	buckets = json_array();
	for (i = 0; i < rep.n; i++) {
		one = json_pack("{s:s,s:I,s:I}", "label", rep.b[i].label,
		    "start", (json_int_t)rep.b[i].start, "bytes",
		    (json_int_t)rep.b[i].bytes);
		for (m = 0; m < USAGE_METRICS; m++)
			json_object_set_new(one, usage_metric_names[m],
			    json_integer(rep.b[i].n[m]));
		json_array_append_new(buckets, one);
	}
	queue = json_array();
	for (i = 0; i < rep.nq; i++)
		json_array_append_new(queue,
		    json_pack("{s:s,s:s,s:I,s:I}", "kind", rep.q[i].kind,
		        "state", rep.q[i].state, "count",
		        (json_int_t)rep.q[i].count, "oldest",
		        (json_int_t)rep.q[i].oldest));
	reply_json(req, 200,
	    json_pack("{s:s,s:s,s:o,s:{s:I,s:I},s:o}", "period", period,
	        "domain", q(req, "domain"), "buckets", buckets, "storage",
	        "bytes", (json_int_t)rep.storage_bytes, "messages",
	        (json_int_t)rep.storage_messages, "outbox", queue));
	usage_report_release(&rep);
}
