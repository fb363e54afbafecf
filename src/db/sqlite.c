/*
 * The SQLite driver: WAL, foreign keys, secure_delete, prepared statements
 * cached per connection by SQL text, and the write gate (below).
 */
#include "util/common.h"

#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "db/sqlite_lock.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/log.h"

#define CACHE_MAX 128

/* What a statement does to the write lock; see the gate. */
enum sq_kind { SQ_READ, SQ_WRITE, SQ_BEGIN, SQ_END, SQ_PRAGMA };

struct sqlite_stmt {
	const struct db_driver *drv; /* must be first: see db.c */
	struct sqlite_conn *conn;
	const char *sql;
	sqlite3_stmt *st;
	enum sq_kind kind;
	int in_use;
	int cached;
	int stepped; /* stepped since the last reset */
	int failed; /* the last step failed: failure is why */
	enum db_status failure;
};

struct sqlite_conn {
	sqlite3 *h;
	struct sqlite_stmt *cache[CACHE_MAX];
	size_t ncache;
	char *path; /* the database file, for messages */
	struct sqlite_lock lk; /* the write gate (sqlite_lock.h) */
};

#define WAL_AUTOCHECKPOINT 1000 /* pages, SQLite's default */
/* Where no upkeep thread writes (see db_upkeep_thread): any thread. */
#define WAL_CHECKPOINT_ANYWHERE (4 * WAL_AUTOCHECKPOINT)

static char node_id[128]; /* readiness row (server.node_id) */

static int
on_busy(void *arg, int tries)
{
	return sqlite_lock_busy(&((struct sqlite_conn *)arg)->lk, tries);
}

/*
 * Called after each commit, the write lock released: the gate is free
 * again and the write is on disk. Setting a WAL hook replaces SQLite's
 * automatic checkpoint, so this does it: on an upkeep thread at SQLite's
 * usual size, elsewhere only at four times it.
 */
static int
on_commit(void *arg, sqlite3 *h, const char *db, int pages)
{
	sqlite_lock_leave(&((struct sqlite_conn *)arg)->lk);
	db_note_write_ok();
	if (pages >= WAL_CHECKPOINT_ANYWHERE ||
	    (pages >= WAL_AUTOCHECKPOINT && db_is_upkeep_thread()))
		(void)sqlite3_wal_checkpoint_v2(
		    h, db, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return SQLITE_OK;
}

/*
 * Why a write failed for want of permission, naming the file: the
 * database, its -wal or -shm (SQLite makes them with the database's mode,
 * and leaves them as they are), or the folder they are made in.
 */
static void
why_not_writable(const struct sqlite_conn *c, char *out, size_t len)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };
	char path[4096], dir[4096], *slash;
	struct statvfs vfs;
	struct stat sb;
	size_t i;

	snprintf(dir, sizeof(dir), "%s", c->path);
	if ((slash = strrchr(dir, '/')) != NULL)
		*(slash == dir ? slash + 1 : slash) = '\0';
	else
		snprintf(dir, sizeof(dir), ".");
	if (statvfs(dir, &vfs) == 0 && (vfs.f_flag & ST_RDONLY)) {
		snprintf(out, len, "%s is on a read-only file system", dir);
		return;
	}
	for (i = 0; i < ST_ARRAY_LEN(suffix); i++) {
		snprintf(path, sizeof(path), "%s%s", c->path, suffix[i]);
		if (stat(path, &sb) != 0)
			continue;
		if (access(path, W_OK) != 0 || !(sb.st_mode & 0200)) {
			snprintf(out, len,
			    "%s is not writable (mode %04o, owner %u): %s",
			    path, (unsigned)(sb.st_mode & 07777),
			    (unsigned)sb.st_uid,
			    i == 0 ?
			        "make it writable for the server's user" :
			        "SQLite made it so while the database could "
			        "only be read and leaves it so: give it the "
			        "database file's mode and owner");
			return;
		}
	}
	if (access(dir, W_OK | X_OK) != 0) {
		snprintf(out, len,
		    "the folder %s is not writable: SQLite makes the -wal and "
		    "-shm files there",
		    dir);
		return;
	}
	snprintf(out, len, "%s: %s", c->path, sqlite3_errmsg(c->h));
}

static enum db_status
map_rc(struct sqlite_conn *c, int rc, const char *sql)
{
	char why[4400];

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
	case SQLITE_FULL:
		snprintf(
		    why, sizeof(why), "%s: no space left on the disk", c->path);
		db_note_fault(DB_FAULT_FULL, why);
		return DB_ERROR;
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
		why_not_writable(c, why, sizeof(why));
		db_note_fault(DB_FAULT_READONLY, why);
		return DB_ERROR;
	case SQLITE_IOERR:
		snprintf(why, sizeof(why), "%s: %s (errno %d)", c->path,
		    sqlite3_errmsg(c->h), sqlite3_system_errno(c->h));
		db_note_fault(sqlite3_system_errno(c->h) == ENOSPC ?
		        DB_FAULT_FULL :
		        DB_FAULT_DOWN,
		    why);
		return DB_ERROR;
	default:
		log_error("sqlite error", "{s:s,s:s}", "error",
		    sqlite3_errmsg(c->h), "sql", sql);
		return DB_ERROR;
	}
}

static void
sq_free(struct sqlite_conn *c)
{
	sqlite3_close(c->h);
	free(c->path);
	free(c);
}

/* Set once the first connection could write: the others need not ask. */
static int writable_checked;

/*
 * Whether the first connection can write: SQLite opens a file it may only
 * read without a word, and a -shm it may only read (left 0444 by a run on
 * a read-only file) fails only at the first write, so ask now and name
 * the file that refuses. A lock held elsewhere is no reason to refuse.
 */
static int
check_writable(struct sqlite_conn *c)
{
	char why[4400];
	int rc;

	if (sqlite3_db_readonly(c->h, "main") != 1 &&
	    ((rc = sqlite3_exec(c->h, "BEGIN IMMEDIATE", NULL, NULL, NULL)) ==
	            SQLITE_OK ||
	        (rc & 0xff) == SQLITE_BUSY)) {
		if (rc == SQLITE_OK)
			(void)sqlite3_exec(c->h, "ROLLBACK", NULL, NULL, NULL);
		return 0;
	}
	why_not_writable(c, why, sizeof(why));
	log_error("cannot open database: it does not take writes",
	    "{s:s,s:s,s:s}", "path", c->path, "error",
	    sqlite3_db_readonly(c->h, "main") == 1 ? "opened read-only" :
	                                             sqlite3_errmsg(c->h),
	    "cause", why);
	return -1;
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
	char why[4400];
	size_t i;
	int rc;

	sqlite_lock_setup(cfg->database_lock_timeout);
	snprintf(node_id, sizeof(node_id), "%s", cfg->server_node_id);
	c->path = xstrdup(cfg->database_path);
	if ((rc = sqlite3_open_v2(cfg->database_path, &c->h,
	         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	             SQLITE_OPEN_NOMUTEX,
	         NULL)) != SQLITE_OK) {
		if (c->h != NULL)
			why_not_writable(c, why, sizeof(why));
		log_error("cannot open database", "{s:s,s:s,s:s}", "path",
		    cfg->database_path, "error",
		    c->h ? sqlite3_errmsg(c->h) : "out of memory", "cause",
		    c->h ? why : "");
		goto fail;
	}
	sqlite3_busy_handler(c->h, on_busy, c);
	sqlite3_extended_result_codes(c->h, 1);
	for (i = 0; i < ST_ARRAY_LEN(pragmas); i++)
		if ((rc = sqlite3_exec(c->h, pragmas[i], NULL, NULL, NULL)) !=
		    SQLITE_OK) {
			/* Most often: the file, its -wal or -shm, or the
			 * folder is not writable (say after a restore as
			 * another user); say which. */
			why_not_writable(c, why, sizeof(why));
			log_error("cannot open database", "{s:s,s:s,s:s,s:s}",
			    "path", c->path, "pragma", pragmas[i], "error",
			    sqlite3_errmsg(c->h), "cause", why);
			goto fail;
		}
	if (!writable_checked && check_writable(c) == -1)
		goto fail;
	writable_checked = 1;
	/* After the pragmas: journal_mode = WAL sets SQLite's own hook. */
	sqlite3_wal_hook(c->h, on_commit, c);
	return c;
fail:
	sq_free(c);
	return NULL;
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
	sqlite_lock_leave(&c->lk);
	sq_free(c);
}

static enum sq_kind
kind_of(const char *sql, sqlite3_stmt *st)
{
	if (strncmp(sql, "BEGIN", 5) == 0)
		return SQ_BEGIN;
	if (strncmp(sql, "COMMIT", 6) == 0 || strncmp(sql, "ROLLBACK", 8) == 0)
		return SQ_END;
	/* Pragmas set connection state (db_exec_relaxed); never gated. */
	if (strncmp(sql, "PRAGMA", 6) == 0)
		return SQ_PRAGMA;
	return sqlite3_stmt_readonly(st) ? SQ_READ : SQ_WRITE;
}

static struct sqlite_stmt *
prepare(struct sqlite_conn *c, const char *sql)
{
	struct sqlite_stmt *s;
	sqlite3_stmt *st;
	size_t i;
	int rc;

	for (i = 0; i < c->ncache; i++) {
		s = c->cache[i];
		if (!s->in_use && (s->sql == sql || strcmp(s->sql, sql) == 0))
			return s;
	}
	if ((rc = sqlite3_prepare_v3(c->h, sql, -1, SQLITE_PREPARE_PERSISTENT,
	         &st, NULL)) != SQLITE_OK) {
		(void)map_rc(c, rc != SQLITE_BUSY ? rc : SQLITE_ERROR, sql);
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->drv = &db_sqlite_driver;
	s->conn = c;
	s->sql = sql;
	s->st = st;
	s->kind = kind_of(sql, st);
	if (c->ncache < CACHE_MAX) {
		s->cached = 1;
		c->cache[c->ncache++] = s;
	}
	return s;
}

static void
release(struct sqlite_stmt *s)
{
	struct sqlite_conn *c = s->conn;
	int rc = sqlite3_reset(s->st);

	/* A write outside a transaction ends here (a RETURNING statement
	 * stepped only to its first row commits now): give the gate back. A
	 * failed commit is reported as the step's would be. */
	if (s->kind == SQ_WRITE && s->stepped && !s->failed && rc != SQLITE_OK)
		(void)map_rc(c, rc, s->sql);
	if (c->lk.gated && sqlite3_get_autocommit(c->h))
		sqlite_lock_leave(&c->lk);
	sqlite3_clear_bindings(s->st);
	s->in_use = 0;
	s->stepped = 0;
	s->failed = 0;
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
	struct sqlite_conn *c = s->conn;
	int rc, gated = 0;

	/* A failed statement is not stepped again before its reset (SQLite
	 * would run it again, past the gate, waiting for the lock once more:
	 * db_finish asks for the rest of a statement that failed). */
	if (s->failed)
		return s->failure;
	/* ROLLBACK after a BEGIN that did not happen (db_tx does that):
	 * nothing to do, and not an error to log. */
	if (s->kind == SQ_END && sqlite3_get_autocommit(c->h))
		return DB_DONE;
	if (!s->stepped) {
		s->stepped = 1;
		if (s->kind == SQ_BEGIN ||
		    (s->kind == SQ_WRITE && sqlite3_get_autocommit(c->h))) {
			if (sqlite_lock_enter(&c->lk) == -1) {
				s->failed = 1;
				return s->failure = DB_BUSY;
			}
			gated = 1;
		}
	}
	rc = sqlite3_step(s->st);
	if (gated && (rc & 0xff) != SQLITE_BUSY)
		sqlite_lock_got();
	/* The transaction ended (COMMIT, ROLLBACK, or an error that rolled
	 * it back), or BEGIN failed: the lock is not ours any more. */
	if (c->lk.gated && (s->kind == SQ_BEGIN || s->kind == SQ_END) &&
	    sqlite3_get_autocommit(c->h))
		sqlite_lock_leave(&c->lk);
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	s->failed = 1;
	return s->failure = map_rc(c, rc, s->sql);
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

/*
 * Readiness: can this process take the write lock now (within
 * SQLITE_LOCK_PROBE_MS)? With repair, after a fault a lock cannot explain (a full
 * disk, a file made read-only), also commit a small write: the only way
 * to know the database takes writes again.
 */
static enum db_status
sq_probe(void *h, int repair)
{
	struct sqlite_conn *c = h;
	enum db_status st;

	/* A writer of this process at work (a long import, a purge) shows
	 * that the database takes writes; no need to queue behind it. */
	if (!repair && sqlite_lock_state() == SQLITE_LOCK_OURS)
		return DB_OK;
	c->lk.probing = 1;
	st = sq_exec(h, "BEGIN IMMEDIATE", NULL, 0);
	if (st == DB_OK && repair)
		st = sq_exec(h,
		    "INSERT INTO readiness (node, probed_at) VALUES ($1, $2) "
		    "ON CONFLICT (node) DO UPDATE SET probed_at = "
		    "excluded.probed_at",
		    DB_PARAMS(DB_TEXT(node_id), DB_INT(clock_now())));
	if (st == DB_OK && repair)
		st = sq_exec(h, "COMMIT", NULL, 0);
	(void)sq_exec(h, "ROLLBACK", NULL, 0);
	c->lk.probing = 0;
	return st;
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
	.probe = sq_probe,
	/* IMMEDIATE takes the write lock up front: no upgrade deadlocks. */
	.begin_sql = "BEGIN IMMEDIATE",
	/* In WAL mode NORMAL writes the commit to the WAL without an fsync;
	 * the next FULL commit's fsync covers it. */
	.relaxed_on_sql = "PRAGMA synchronous = NORMAL",
	.relaxed_off_sql = "PRAGMA synchronous = FULL",
};
