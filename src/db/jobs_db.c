/* SQL for the job claims; see jobs_db.h. */
#include "util/common.h"

#include "db/jobs_db.h"

int
job_claim(struct db_conn *c, const char *name, const char *owner,
    int64_t now_us, int64_t until_us)
{
	/* The upsert's WHERE decides: a free or run-out claim, or our own. */
	if (db_exec(c,
	        "INSERT INTO job_claims (name, owner, until_us) VALUES ($1, "
	        "$2, $4) ON CONFLICT (name) DO UPDATE SET owner = $2, "
	        "until_us = $4 WHERE job_claims.until_us < $3 OR "
	        "job_claims.owner = $2",
	        DB_PARAMS(DB_TEXT(name), DB_TEXT(owner), DB_INT(now_us),
	            DB_INT(until_us))) != DB_OK)
		return -1;
	return db_changes(c) == 1 ? 1 : 0;
}

enum db_status
job_release(struct db_conn *c, const char *name, const char *owner)
{
	return db_exec(c,
	    "UPDATE job_claims SET until_us = 0 WHERE name = $1 AND "
	    "owner = $2",
	    DB_PARAMS(DB_TEXT(name), DB_TEXT(owner)));
}
