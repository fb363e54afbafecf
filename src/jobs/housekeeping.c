/*
 * Rows that only age: rate-limit windows long closed, requests (Q1-Q4)
 * a month past their expiry, whose outside person's name and address need
 * not be kept, and idempotency keys a day old. Deleting them twice from
 * two nodes is harmless.
 */
#include "util/common.h"

#include "db/db.h"
#include "db/idempotency_db.h"
#include "db/ratelimit_db.h"
#include "db/requests_db.h"
#include "domain/messages.h"
#include "jobs/jobs.h"
#include "util/clock.h"

/* The longest rate-limit window is a day; keep a week for the record. */
#define LIMITS_KEEP (7 * 86400)
#define REQUESTS_KEEP (30 * 86400)

int
jobs_housekeeping(const struct msg_env *env)
{
	struct db_conn *c = db_get(env->db);
	int64_t now = clock_now();
	int rc = 0;

	if (ratelimit_purge(c, now - LIMITS_KEEP) != DB_OK ||
	    req_purge_expired(c, now - REQUESTS_KEEP) != DB_OK ||
	    idem_purge(c, now) != DB_OK)
		rc = -1;
	db_put(c);
	return rc;
}
