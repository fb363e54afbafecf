/*
 * The SQLite driver: WAL, a busy timeout, foreign keys, secure_delete, and
 * prepared statements cached per connection by SQL text.
 */
#include "util/common.h"

#include <pthread.h>
#include <sqlite3.h>
#include <time.h>

#include "db/db.h"
#include "util/config.h"
#include "util/log.h"

#define CACHE_MAX 128

struct sqlite_stmt {
	const struct db_driver *drv; /* must be first: see db.c */
	struct sqlite_conn *conn;
	const char *sql;
	sqlite3_stmt *st;
	int in_use;
	int cached;
};

struct sqlite_conn {
	sqlite3 *h;
	struct sqlite_stmt *cache[CACHE_MAX];
	size_t ncache;
	struct timespec busy_since; /* first refusal of the current wait */
};

/*
 * Waiting for the write lock. SQLite's own busy timeout sleeps 1, 2, 5 ...
 * up to 100 ms between tries, whatever happens meanwhile: with hundreds of
 * small write transactions a second from the request threads (tus PATCH
 * offsets), a writer slept long after the lock came free, holding its
 * thread and pool connection, and everything queued behind it
 * (bench/concurrency). So a writer that finds the lock taken waits for
 * the next commit of this process (the WAL hook signals it), or at most
 * BUSY_POLL_NS for a writer in another process or a rollback, and gives up
 * after BUSY_TIMEOUT_MS as before.
 */
#define BUSY_TIMEOUT_MS 5000
#define BUSY_POLL_NS 2000000L
#define WAL_AUTOCHECKPOINT 1000 /* pages, SQLite's default */
/* Where no upkeep thread writes (see db_upkeep_thread): any thread. */
#define WAL_CHECKPOINT_ANYWHERE (4 * WAL_AUTOCHECKPOINT)

static pthread_mutex_t commit_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t commit_cond = PTHREAD_COND_INITIALIZER;

static int
on_busy(void *arg, int tries)
{
	struct sqlite_conn *c = arg;
	struct timespec now, until;
	int64_t waited_ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (tries == 0)
		c->busy_since = now;
	waited_ms = (int64_t)(now.tv_sec - c->busy_since.tv_sec) * 1000 +
	    (now.tv_nsec - c->busy_since.tv_nsec) / 1000000;
	if (waited_ms >= BUSY_TIMEOUT_MS)
		return 0;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += BUSY_POLL_NS;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&commit_lock);
	(void)pthread_cond_timedwait(&commit_cond, &commit_lock, &until);
	pthread_mutex_unlock(&commit_lock);
	return 1;
}

/*
 * Called after each commit, the write lock released. Setting a WAL hook
 * replaces SQLite's automatic checkpoint, so this does it: on an upkeep
 * thread at SQLite's usual size, elsewhere only at four times it.
 */
static int
on_commit(void *arg, sqlite3 *h, const char *db, int pages)
{
	ST_UNUSED(arg);
	pthread_mutex_lock(&commit_lock);
	pthread_cond_broadcast(&commit_cond);
	pthread_mutex_unlock(&commit_lock);
	if (pages >= WAL_CHECKPOINT_ANYWHERE ||
	    (pages >= WAL_AUTOCHECKPOINT && db_is_upkeep_thread()))
		(void)sqlite3_wal_checkpoint_v2(
		    h, db, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return SQLITE_OK;
}

static enum db_status
map_rc(struct sqlite_conn *c, int rc, const char *sql)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
		return DB_OK;
	case SQLITE_ROW:
		return DB_ROW;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DB_BUSY;
	case SQLITE_CONSTRAINT:
		return DB_CONSTRAINT;
	default:
		log_error("sqlite error", "{s:s,s:s}", "error",
		    sqlite3_errmsg(c->h), "sql", sql);
		return DB_ERROR;
	}
}

static void *
sq_connect(const struct config *cfg)
{
	static const char *const pragmas[] = {
		"PRAGMA journal_mode = WAL",
		"PRAGMA synchronous = FULL",
		"PRAGMA foreign_keys = ON",
		"PRAGMA secure_delete = ON",
		"PRAGMA trusted_schema = OFF",
	};
	struct sqlite_conn *c = xcalloc(1, sizeof(*c));
	size_t i;

	if (sqlite3_open_v2(cfg->database_path, &c->h,
	        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	            SQLITE_OPEN_NOMUTEX,
	        NULL) != SQLITE_OK) {
		log_error("cannot open database", "{s:s,s:s}", "path",
		    cfg->database_path, "error",
		    c->h ? sqlite3_errmsg(c->h) : "out of memory");
		sqlite3_close(c->h);
		free(c);
		return NULL;
	}
	sqlite3_busy_handler(c->h, on_busy, c);
	sqlite3_extended_result_codes(c->h, 1);
	for (i = 0; i < ST_ARRAY_LEN(pragmas); i++)
		if (sqlite3_exec(c->h, pragmas[i], NULL, NULL, NULL) !=
		    SQLITE_OK) {
			log_error("sqlite pragma failed", "{s:s,s:s}", "pragma",
			    pragmas[i], "error", sqlite3_errmsg(c->h));
			sqlite3_close(c->h);
			free(c);
			return NULL;
		}
	/* After the pragmas: journal_mode = WAL sets SQLite's own hook. */
	sqlite3_wal_hook(c->h, on_commit, NULL);
	return c;
}

static void
sq_disconnect(void *h)
{
	struct sqlite_conn *c = h;
	size_t i;

	for (i = 0; i < c->ncache; i++) {
		sqlite3_finalize(c->cache[i]->st);
		free(c->cache[i]);
	}
	sqlite3_close(c->h);
	free(c);
}

static struct sqlite_stmt *
prepare(struct sqlite_conn *c, const char *sql)
{
	struct sqlite_stmt *s;
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < c->ncache; i++) {
		s = c->cache[i];
		if (!s->in_use && (s->sql == sql || strcmp(s->sql, sql) == 0))
			return s;
	}
	if (sqlite3_prepare_v3(c->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
	        NULL) != SQLITE_OK) {
		(void)map_rc(c, SQLITE_ERROR, sql);
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->drv = &db_sqlite_driver;
	s->conn = c;
	s->sql = sql;
	s->st = st;
	if (c->ncache < CACHE_MAX) {
		s->cached = 1;
		c->cache[c->ncache++] = s;
	}
	return s;
}

static void
release(struct sqlite_stmt *s)
{
	sqlite3_reset(s->st);
	sqlite3_clear_bindings(s->st);
	s->in_use = 0;
	if (!s->cached) {
		sqlite3_finalize(s->st);
		free(s);
	}
}

static int
bind(struct sqlite_stmt *s, const struct db_param *p, size_t n)
{
	char name[24];
	size_t i;
	int idx, rc = SQLITE_OK;

	for (i = 0; i < n && rc == SQLITE_OK; i++) {
		snprintf(name, sizeof(name), "$%zu", i + 1);
		if ((idx = sqlite3_bind_parameter_index(s->st, name)) == 0)
			return SQLITE_RANGE;
		switch (p[i].type) {
		case DBP_NULL:
			rc = sqlite3_bind_null(s->st, idx);
			break;
		case DBP_TEXT:
			rc = p[i].text == NULL ?
			    sqlite3_bind_null(s->st, idx) :
			    sqlite3_bind_text(
			        s->st, idx, p[i].text, -1, SQLITE_STATIC);
			break;
		case DBP_INT:
			rc = sqlite3_bind_int64(s->st, idx, p[i].i);
			break;
		}
	}
	return rc;
}

static struct db_stmt *
sq_query(void *h, const char *sql, const struct db_param *p, size_t n)
{
	struct sqlite_conn *c = h;
	struct sqlite_stmt *s;
	int rc;

	if ((s = prepare(c, sql)) == NULL)
		return NULL;
	s->in_use = 1;
	if ((rc = bind(s, p, n)) != SQLITE_OK) {
		(void)map_rc(c, rc, sql);
		release(s);
		return NULL;
	}
	return (struct db_stmt *)(void *)s;
}

static enum db_status
sq_next(struct db_stmt *st)
{
	struct sqlite_stmt *s = (struct sqlite_stmt *)(void *)st;
	int rc = sqlite3_step(s->st);

	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	return map_rc(s->conn, rc, s->sql);
}

static enum db_status
sq_exec(void *h, const char *sql, const struct db_param *p, size_t n)
{
	struct db_stmt *st = sq_query(h, sql, p, n);
	enum db_status r;

	if (st == NULL)
		return DB_ERROR;
	r = sq_next(st);
	release((struct sqlite_stmt *)(void *)st);
	return r == DB_DONE || r == DB_ROW ? DB_OK : r;
}

static int64_t
sq_changes(void *h)
{
	return sqlite3_changes64(((struct sqlite_conn *)h)->h);
}

static const char *
sq_text(struct db_stmt *st, int col)
{
	struct sqlite_stmt *s = (struct sqlite_stmt *)(void *)st;

	return (const char *)sqlite3_column_text(s->st, col);
}

static int64_t
sq_int(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(
	    ((struct sqlite_stmt *)(void *)st)->st, col);
}

static int
sq_isnull(struct db_stmt *st, int col)
{
	return sqlite3_column_type(
	           ((struct sqlite_stmt *)(void *)st)->st, col) == SQLITE_NULL;
}

static void
sq_done(struct db_stmt *st)
{
	release((struct sqlite_stmt *)(void *)st);
}

static enum db_status
sq_script(void *h, const char *sql)
{
	struct sqlite_conn *c = h;

	return map_rc(c, sqlite3_exec(c->h, sql, NULL, NULL, NULL), "script");
}

const struct db_driver db_sqlite_driver = {
	.name = "sqlite",
	.connect = sq_connect,
	.disconnect = sq_disconnect,
	.exec = sq_exec,
	.changes = sq_changes,
	.query = sq_query,
	.next = sq_next,
	.text = sq_text,
	.integer = sq_int,
	.isnull = sq_isnull,
	.done = sq_done,
	.script = sq_script,
	/* IMMEDIATE takes the write lock up front: no upgrade deadlocks. */
	.begin_sql = "BEGIN IMMEDIATE",
	/* In WAL mode NORMAL writes the commit to the WAL without an fsync;
	 * the next FULL commit's fsync covers it. */
	.relaxed_on_sql = "PRAGMA synchronous = NORMAL",
	.relaxed_off_sql = "PRAGMA synchronous = FULL",
};
