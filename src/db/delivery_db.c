/* SQL for strict delivery; see delivery_db.h. */
#include "util/common.h"

#include "db/delivery_db.h"

int
delivery_db_org_get(
    struct db_conn *c, const char *domain, char *out, size_t outlen)
{
	struct db_stmt *s;
	int found;

	s = db_query(c, "SELECT delivery FROM organisations WHERE domain = $1",
	    DB_PARAMS(DB_TEXT(domain)));
	if ((found = db_first(s)) != 1)
		return found;
	snprintf(out, outlen, "%s", db_text(s, 0));
	db_done(s);
	return 1;
}

int
delivery_db_org_set(struct db_conn *c, const char *domain, const char *policy)
{
	if (db_exec(c,
	        "UPDATE organisations SET delivery = $2 WHERE domain = $1",
	        DB_PARAMS(DB_TEXT(domain), DB_TEXT(policy))) != DB_OK)
		return -1;
	return db_changes(c) == 1;
}

char *
delivery_db_secret_sealed(struct db_conn *c, const char *id)
{
	struct db_stmt *s;
	char *r = NULL;

	s = db_query(c,
	    "SELECT link_secret_sealed FROM messages WHERE id = $1 AND "
	    "link_secret_sealed IS NOT NULL",
	    DB_PARAMS(DB_TEXT(id)));
	if (s != NULL && db_next(s) == DB_ROW)
		r = db_dup_text(s, 0);
	db_done(s);
	return r;
}
