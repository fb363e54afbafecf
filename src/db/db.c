/*
 * The connection pool and the driver dispatch behind db.h, and the
 * migration runner.
 */
#include "util/common.h"

#include <jansson.h>
#include <pthread.h>
#include <time.h>

#include "db/db.h"
#include "db/db_fault.h"
#include "db/migrations.h"
#include "util/config.h"
#include "util/log.h"

struct db_conn {
	struct db *db;
	void *h; /* driver handle */
	int busy;
};

struct db {
	const struct db_driver *drv;
	struct db_conn *conns;
	size_t nconns;
	size_t waiting; /* threads in db_get waiting for a connection */
	pthread_mutex_t lock;
	pthread_cond_t freed;
};

static _Thread_local int upkeep_thread;
void
db_upkeep_thread(void)
{
	upkeep_thread = 1;
}

int
db_is_upkeep_thread(void)
{
	return upkeep_thread;
}

int
db_open(const struct config *cfg, struct db **out)
{
	static const struct db_driver *const drivers[] = {
		&db_sqlite_driver,
		&db_postgres_driver,
	};
	const struct db_driver *drv = NULL;
	struct db *db;
	size_t i;

	for (i = 0; i < ST_ARRAY_LEN(drivers); i++)
		if (strcmp(cfg->database_driver, drivers[i]->name) == 0)
			drv = drivers[i];
	if (drv == NULL) {
		log_error("database driver not built in", "{s:s}", "driver",
		    cfg->database_driver);
		return -1;
	}
	db = xcalloc(1, sizeof(*db));
	db->drv = drv;
	db->nconns = (size_t)cfg->database_pool;
	db->conns = xcalloc(db->nconns, sizeof(*db->conns));
	pthread_mutex_init(&db->lock, NULL);
	pthread_cond_init(&db->freed, NULL);
	for (i = 0; i < db->nconns; i++) {
		db->conns[i].db = db;
		if ((db->conns[i].h = db->drv->connect(cfg)) == NULL) {
			db_close(db);
			return -1;
		}
	}
	*out = db;
	return 0;
}

void
db_close(struct db *db)
{
	size_t i;

	if (db == NULL)
		return;
	for (i = 0; i < db->nconns; i++)
		if (db->conns[i].h != NULL)
			db->drv->disconnect(db->conns[i].h);
	free(db->conns);
	pthread_mutex_destroy(&db->lock);
	pthread_cond_destroy(&db->freed);
	free(db);
}

const char *
db_driver_name(const struct db *db)
{
	return db->drv->name;
}

struct db_conn *
db_get(struct db *db)
{
	struct db_conn *c = NULL;
	size_t i;

	pthread_mutex_lock(&db->lock);
	for (;;) {
		for (i = 0; i < db->nconns; i++)
			if (!db->conns[i].busy) {
				c = &db->conns[i];
				c->busy = 1;
				break;
			}
		if (c != NULL)
			break;
		db->waiting++;
		pthread_cond_wait(&db->freed, &db->lock);
		db->waiting--;
	}
	pthread_mutex_unlock(&db->lock);
	return c;
}

struct db_conn *
db_try_get(struct db *db)
{
	struct db_conn *c = NULL;
	size_t i;

	pthread_mutex_lock(&db->lock);
	for (i = 0; i < db->nconns && c == NULL; i++)
		if (!db->conns[i].busy) {
			c = &db->conns[i];
			c->busy = 1;
		}
	pthread_mutex_unlock(&db->lock);
	return c;
}

void
db_pool_stats(struct db *db, int64_t *size, int64_t *in_use, int64_t *waiting)
{
	size_t i, busy = 0;

	pthread_mutex_lock(&db->lock);
	for (i = 0; i < db->nconns; i++)
		busy += db->conns[i].busy ? 1 : 0;
	*size = (int64_t)db->nconns;
	*in_use = (int64_t)busy;
	*waiting = (int64_t)db->waiting;
	pthread_mutex_unlock(&db->lock);
}

void
db_put(struct db_conn *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&c->db->lock);
	c->busy = 0;
	pthread_cond_signal(&c->db->freed);
	pthread_mutex_unlock(&c->db->lock);
}

enum db_status
db_exec(struct db_conn *c, const char *sql, const struct db_param *p, size_t n)
{
	return c->db->drv->exec(c->h, sql, p, n);
}

enum db_status
db_exec_relaxed(
    struct db_conn *c, const char *sql, const struct db_param *p, size_t n)
{
	const struct db_driver *drv = c->db->drv;
	enum db_status st;

	if (drv->relaxed_on_sql == NULL)
		return drv->exec(c->h, sql, p, n);
	if ((st = drv->exec(c->h, drv->relaxed_on_sql, NULL, 0)) != DB_OK)
		return st;
	st = drv->exec(c->h, sql, p, n);
	/* Back to durable commits whatever happened: if this fails the
	 * connection cannot be trusted with them. */
	if (drv->exec(c->h, drv->relaxed_off_sql, NULL, 0) != DB_OK) {
		log_error("cannot restore durable commits", NULL);
		abort();
	}
	return st;
}

enum db_status
db_exec_nowait(
    struct db_conn *c, const char *sql, const struct db_param *p, size_t n)
{
	enum db_status st;

	db_fault_nowait(1);
	st = c->db->drv->exec(c->h, sql, p, n);
	db_fault_nowait(0);
	return st;
}

int64_t
db_changes(struct db_conn *c)
{
	return c->db->drv->changes(c->h);
}

struct db_stmt *
db_query(struct db_conn *c, const char *sql, const struct db_param *p, size_t n)
{
	return c->db->drv->query(c->h, sql, p, n);
}

/* Statements know their driver through the first member; see drivers. */
struct db_stmt {
	const struct db_driver *drv;
};

enum db_status
db_next(struct db_stmt *s)
{
	return s->drv->next(s);
}

const char *
db_text(struct db_stmt *s, int col)
{
	return s->drv->text(s, col);
}

char *
db_dup_text(struct db_stmt *s, int col)
{
	const char *t = db_text(s, col);

	return t != NULL ? xstrdup(t) : NULL;
}

char *
db_dup_text0(struct db_stmt *s, int col)
{
	const char *t = db_text(s, col);

	return xstrdup(t != NULL ? t : "");
}

int64_t
db_int(struct db_stmt *s, int col)
{
	return s->drv->integer(s, col);
}

int
db_isnull(struct db_stmt *s, int col)
{
	return s->drv->isnull(s, col);
}

void
db_done(struct db_stmt *s)
{
	if (s != NULL)
		s->drv->done(s);
}

enum db_status
db_begin(struct db_conn *c)
{
	return c->db->drv->exec(c->h, c->db->drv->begin_sql, NULL, 0);
}

enum db_status
db_commit(struct db_conn *c)
{
	return c->db->drv->exec(c->h, "COMMIT", NULL, 0);
}

void
db_rollback(struct db_conn *c)
{
	(void)c->db->drv->exec(c->h, "ROLLBACK", NULL, 0);
}

enum db_status
db_tx(struct db_conn *c, enum db_status (*fn)(struct db_conn *c, void *arg),
    void *arg)
{
	struct timespec ts;
	enum db_status st;
	int attempt;
	unsigned long timeouts;

	for (attempt = 0;; attempt++) {
		timeouts = db_fault_lock_timeouts();
		if ((st = db_begin(c)) == DB_OK && (st = fn(c, arg)) == DB_OK &&
		    (st = db_commit(c)) == DB_OK)
			return DB_OK;
		db_rollback(c);
		/* A serialization failure or deadlock passes at once; a lock
		 * that outlasted lock_timeout would only make the caller wait
		 * that long again. */
		if (st != DB_BUSY || attempt == 4 ||
		    db_fault_lock_timeouts() != timeouts)
			return st;
		/* 2, 4, 8, 16 ms: let the other transaction finish. */
		ts.tv_sec = 0;
		ts.tv_nsec = 2000000L << attempt;
		nanosleep(&ts, NULL);
		log_debug(
		    "transaction retried", "{s:i}", "attempt", attempt + 1);
	}
}

/* Begins a migration transaction, holding the driver's migration lock. */
static int
migrate_begin(struct db *db, struct db_conn *c)
{
	if (db_begin(c) != DB_OK)
		return -1;
	if (db->drv->migrate_lock_sql != NULL &&
	    db_exec(c, db->drv->migrate_lock_sql, DB_NOPARAMS) != DB_OK) {
		db_rollback(c);
		return -1;
	}
	return 0;
}

/* 1 when migration version is applied, 0 not, -1 error. Each version
 * is looked up, not compared with the highest: a migration that arrives
 * with a lower number than one already applied (branches merged in
 * another order) still runs. */
static int64_t
applied(struct db_conn *c, int64_t version)
{
	return db_int_of(c,
	    "SELECT COUNT(*) FROM schema_migrations WHERE version = $1",
	    DB_PARAMS(DB_INT(version)));
}

/*
 * Versions in schema_migrations that this binary does not have: a newer
 * securetransferd migrated the database. Logs each; 1 if any, 0 none,
 * -1 error.
 */
static int
unknown_migrations(struct db_conn *c)
{
	const struct migration *m;
	struct db_stmt *s;
	int found = 0;

	s = db_query(c,
	    "SELECT version, name FROM schema_migrations ORDER BY "
	    "version",
	    DB_NOPARAMS);
	if (s == NULL)
		return -1;
	while (db_next(s) == DB_ROW) {
		int64_t v = db_int(s, 0);

		for (m = migrations; m->name != NULL && m->version != v; m++)
			;
		if (m->name != NULL)
			continue;
		log_error("the database has a migration this securetransferd "
		          "does not know: a newer version migrated it; run "
		          "that version (or restore the backup made before "
		          "the upgrade), never an older one",
		    "{s:I,s:s,s:s}", "version", (json_int_t)v, "name",
		    db_text(s, 1) != NULL ? db_text(s, 1) : "", "binary",
		    ST_VERSION);
		found = 1;
	}
	db_done(s);
	return found;
}

int
db_migrate(struct db *db)
{
	struct db_conn *c = db_get(db);
	const struct migration *m;
	int64_t have;
	int rc = -1, newer;

	/* Several nodes may start at once: each step holds the lock and
	 * looks again at what is applied. */
	if (migrate_begin(db, c) == -1)
		goto out;
	if (db_exec(c,
	        "CREATE TABLE IF NOT EXISTS schema_migrations ("
	        "version BIGINT PRIMARY KEY, name TEXT NOT NULL, "
	        "applied_at BIGINT NOT NULL)",
	        DB_NOPARAMS) != DB_OK ||
	    db_commit(c) != DB_OK) {
		db_rollback(c);
		goto out;
	}
	if ((newer = unknown_migrations(c)) != 0) {
		rc = newer;
		goto out;
	}
	for (m = migrations; m->name != NULL; m++) {
		if (migrate_begin(db, c) == -1)
			goto out;
		if ((have = applied(c, m->version)) != 0) {
			db_rollback(c);
			if (have == -1)
				goto out;
			continue;
		}
		if (db->drv->script(c->h, m->sql) != DB_OK ||
		    db_exec(c,
		        "INSERT INTO schema_migrations (version, name, "
		        "applied_at) VALUES ($1, $2, $3)",
		        DB_PARAMS(DB_INT(m->version), DB_TEXT(m->name),
		            DB_INT(time(NULL)))) != DB_OK) {
			db_rollback(c);
			log_error("migration failed", "{s:I,s:s}", "version",
			    (json_int_t)m->version, "name", m->name);
			goto out;
		}
		if (db_commit(c) != DB_OK)
			goto out;
		log_info("migration applied", "{s:I,s:s}", "version",
		    (json_int_t)m->version, "name", m->name);
	}
	rc = 0;
out:
	db_put(c);
	return rc;
}

int64_t
db_int_of(
    struct db_conn *c, const char *sql, const struct db_param *p, size_t n)
{
	struct db_stmt *s = db_query(c, sql, p, n);
	int64_t v = -1;

	if (s == NULL)
		return -1;
	if (db_next(s) == DB_ROW)
		v = db_int(s, 0);
	return db_finish(s) == DB_OK ? v : -1;
}

int
db_first(struct db_stmt *s)
{
	enum db_status r;

	if (s == NULL)
		return -1;
	if ((r = db_next(s)) == DB_ROW)
		return 1;
	db_done(s);
	return r == DB_DONE ? 0 : -1;
}

enum db_status
db_finish(struct db_stmt *s)
{
	enum db_status st;

	if (s == NULL)
		return DB_ERROR;
	while ((st = db_next(s)) == DB_ROW)
		;
	db_done(s);
	return st == DB_DONE ? DB_OK : st;
}

int
db_ready(struct db *db, char *why, size_t len)
{
	struct db_conn *c = NULL;
	struct timespec until;
	enum db_status st;
	enum db_fault was, hard;
	size_t i;

	/* A write failed for want of space, rights or a connection a moment
	 * ago: not ready, whatever a probe says (on PostgreSQL a small
	 * write may fit a page where the next insert does not). */
	was = db_fault_now(&hard);
	if (hard != DB_FAULT_NONE) {
		snprintf(why, len, "%s", db_fault_name(hard));
		return 0;
	}
	/* A connection within a second, or the pool is busy doing work:
	 * that is no reason to take the node out. */
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 1;
	pthread_mutex_lock(&db->lock);
	while (c == NULL) {
		for (i = 0; i < db->nconns && c == NULL; i++)
			if (!db->conns[i].busy) {
				c = &db->conns[i];
				c->busy = 1;
			}
		if (c == NULL &&
		    pthread_cond_timedwait(&db->freed, &db->lock, &until) != 0)
			break;
	}
	pthread_mutex_unlock(&db->lock);
	if (c == NULL)
		return 1;
	db_fault_clear();
	/* After a fault that a lock cannot explain, try a real write: the
	 * one way to know that the disk has room again. */
	st = c->db->drv->probe(c->h,
	    was == DB_FAULT_FULL || was == DB_FAULT_READONLY ||
	        was == DB_FAULT_DOWN);
	db_put(c);
	if (st == DB_OK)
		return 1;
	snprintf(why, len, "%s",
	    db_fault_get() != DB_FAULT_NONE ? db_fault_name(db_fault_get()) :
	                                      "error");
	return 0;
}
