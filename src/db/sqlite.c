/*
 * The SQLite driver: WAL, a busy timeout, foreign keys, secure_delete, and
 * prepared statements cached per connection by SQL text.
 */
#include "util/common.h"

#include <sqlite3.h>

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
};

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
	sqlite3_busy_timeout(c->h, 5000);
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
};
