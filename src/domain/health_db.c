/* The database's part of /readyz and /metrics; see health.h. */
#include "util/common.h"

#include "db/db.h"
#include "db/outbox_db.h"
#include "domain/health.h"

int
health_database(struct db *db, char *why, size_t len)
{
	return db_ready(db, why, len);
}

void
health_db_figures(struct db *db, int64_t now, struct health_db_figures *f)
{
	struct db_conn *c;

	memset(f, 0, sizeof(*f));
	db_pool_stats(db, &f->pool_size, &f->pool_in_use, &f->pool_waiting);
	if ((c = db_try_get(db)) == NULL)
		return;
	f->outbox_ok = outbox_queue_stats(c, now, &f->outbox_pending,
	                   &f->outbox_oldest_age) == 0;
	db_put(c);
}
