/* Mapping domain results to responses (STYLE.md rule 12). */
#include "util/common.h"

#include "api/errors.h"
#include "http/metrics.h"
#include "http/request.h"

static const struct {
	unsigned status;
	int64_t retry_after; /* the default; 0: no Retry-After */
} http_of[] = {
	[ST_OK] = { 200, 0 },
	[ST_INVALID] = { 400, 0 },
	[ST_UNAUTHORIZED] = { 401, 0 },
	[ST_FORBIDDEN] = { 403, 0 },
	[ST_NOT_FOUND] = { 404, 0 },
	[ST_CONFLICT] = { 409, 0 },
	[ST_GONE] = { 410, 0 },
	[ST_TOO_LARGE] = { 413, 0 },
	[ST_UNPROCESSABLE] = { 422, 0 },
	[ST_LOCKED] = { 423, 0 },
	[ST_LIMITED] = { 429, 60 },
	[ST_ERROR] = { 500, 0 },
	[ST_BUSY] = { 503, 5 },
	[ST_NO_SPACE] = { 507, 300 },
};

void
api_error(struct request *req, struct st_result r)
{
	size_t i = (size_t)r.st < ST_ARRAY_LEN(http_of) ? (size_t)r.st :
	                                                  ST_ERROR;
	int64_t after = r.retry_after > 0 ? r.retry_after :
	                                    http_of[i].retry_after;
	char ra[24];

	if (i == ST_OK)
		i = ST_ERROR; /* an error reply of a success is a bug */
	reply_error(req, http_of[i].status, r.code ? r.code : "internal",
	    r.why ? r.why : "Internal error");
	if (after > 0 && snprintf(ra, sizeof(ra), "%" PRId64, after) > 0)
		reply_header(req, "Retry-After", ra);
}

void
api_code_error(struct request *req, struct st_result r, int64_t left)
{
	json_t *err;

	if (r.st != ST_UNAUTHORIZED && r.st != ST_LOCKED) {
		api_error(req, r);
		return;
	}
	err = json_pack("{s:{s:s,s:s,s:I}}", "error", "code", r.code, "message",
	    r.why, "attempts_left", (json_int_t)left);
	reply_json(req, r.st == ST_LOCKED ? 423 : 401, err);
}

void
api_db_fault_error(struct request *req, enum st_fault f)
{
	static const struct {
		enum st_status st;
		int64_t retry_after;
		const char *code, *message, *metric;
	} map[] = {
		[ST_FAULT_NONE] = { ST_ERROR, 0, "internal", "Internal error",
		    NULL },
		[ST_FAULT_LOCKED] = { ST_BUSY, 5, "database_busy",
		    "The database is busy; try again in a moment",
		    "db_fault_answers_locked" },
		[ST_FAULT_DOWN] = { ST_BUSY, 10, "database_unavailable",
		    "The database cannot be reached; try again later",
		    "db_fault_answers_unavailable" },
		[ST_FAULT_READONLY] = { ST_BUSY, 60, "database_read_only",
		    "The database does not accept changes at the moment; try "
		    "again later",
		    "db_fault_answers_read_only" },
		[ST_FAULT_FULL] = { ST_NO_SPACE, 60, "insufficient_storage",
		    "The server's disk is full; try again later",
		    "db_fault_answers_disk_full" },
	};
	size_t i = (size_t)f < ST_ARRAY_LEN(map) ? (size_t)f : 0;

	if (map[i].metric != NULL)
		metrics_count(map[i].metric);
	api_error(req,
	    st_res_after(
	        map[i].st, map[i].retry_after, map[i].code, map[i].message));
}
