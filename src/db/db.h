/*
 * The database interface the rest of the code uses. Drivers (SQLite for
 * one node, PostgreSQL for several) sit behind a table of function
 * pointers; callers never test which one they have. SQL is kept portable:
 * $1..$n placeholders, TEXT and BIGINT columns only (binary values are
 * stored as base64url), no driver-specific functions in queries. The few
 * places where the engines differ are markers (DB_SKIP_LOCKED) that a
 * driver fills in, not a second copy of the SQL.
 *
 * Connections come from a pool: db_get() blocks until one is free and the
 * caller gives it back with db_put(). A connection is used by one thread
 * at a time. Statements are prepared once per connection and cached by
 * their SQL text, so pass string literals.
 */
#ifndef ST_DB_H
#define ST_DB_H

#include <stddef.h>
#include <stdint.h>

struct config;
struct db;
struct db_conn;
struct db_stmt;

enum db_status {
	DB_OK = 0, /* statement done */
	DB_ROW, /* a row is available */
	DB_DONE, /* no more rows */
	DB_BUSY, /* locked or serialization failure: retry or 503 */
	DB_CONSTRAINT, /* unique, foreign key or check violation */
	DB_ERROR /* anything else: logged by the driver */
};

/*
 * Why the database could not do what a statement asked, when it is not
 * the statement's fault: the infrastructure. Drivers record the worst one
 * a thread met (db_fault_get); a request that failed for one answers 503
 * or 507 instead of 500 (api/errors.c), and /readyz reports the database
 * not ready while writes fail so (db_ready).
 */
enum db_fault {
	DB_FAULT_NONE = 0,
	DB_FAULT_LOCKED, /* a lock held elsewhere outlasted lock_timeout */
	DB_FAULT_DOWN, /* no connection, or an I/O error */
	DB_FAULT_READONLY, /* the file, its folder or the server refuse writes */
	DB_FAULT_FULL /* no space left (disk or quota) */
};

enum db_ptype { DBP_NULL, DBP_TEXT, DBP_INT };

struct db_param {
	enum db_ptype type;
	const char *text;
	int64_t i;
};

/* clang-format off */
#define DB_TEXT(s) ((struct db_param){ .type = DBP_TEXT, .text = (s) })
#define DB_INT(v) ((struct db_param){ .type = DBP_INT, .i = (int64_t)(v) })
#define DB_NULL ((struct db_param){ .type = DBP_NULL })
/* Expands to a params array and its length for db_exec/db_query. */
#define DB_PARAMS(...) \
	((const struct db_param[]){ __VA_ARGS__ }), \
	(sizeof((const struct db_param[]){ __VA_ARGS__ }) / \
	 sizeof(struct db_param))
#define DB_NOPARAMS NULL, 0
/* clang-format on */

/*
 * Put after the LIMIT of a subquery that picks a row to claim: PostgreSQL
 * makes it FOR UPDATE SKIP LOCKED, so workers on several nodes each take
 * a different row without waiting; for SQLite, whose write transactions
 * are serial anyway, it stays a comment.
 */
#define DB_SKIP_LOCKED "/*skip_locked*/"

/* Opens the pool described by cfg. Returns -1 and logs on failure. */
int db_open(const struct config *cfg, struct db **out);
void db_close(struct db *db);
const char *db_driver_name(const struct db *db);

struct db_conn *db_get(struct db *db);
void db_put(struct db_conn *c);
/* A free connection, or NULL at once when all are in use (for /metrics,
 * which must answer while the pool is exhausted). */
struct db_conn *db_try_get(struct db *db);
/* The pool's size, connections in use and threads waiting, now. */
void db_pool_stats(
    struct db *db, int64_t *size, int64_t *in_use, int64_t *waiting);

/* Runs a statement that returns no rows. */
enum db_status db_exec(
    struct db_conn *c, const char *sql, const struct db_param *p, size_t n);
/*
 * Runs one write statement, in a transaction of its own, whose commit may
 * be lost to a crash or power loss (never torn, never out of order with
 * later commits): for state that a restart puts right anyway, such as a
 * PATCH lease. It saves the commit's flush to disk (SQLite: the WAL's
 * fsync, which the next durable commit makes for it); where a driver has
 * no such mode it is db_exec. Not inside a transaction.
 */
enum db_status db_exec_relaxed(
    struct db_conn *c, const char *sql, const struct db_param *p, size_t n);
/*
 * A write that may be skipped (a session's last-seen time): it never
 * waits for a lock held by another process or node, as on an HTTP
 * thread (db_event_thread); DB_BUSY when one is held.
 */
enum db_status db_exec_nowait(
    struct db_conn *c, const char *sql, const struct db_param *p, size_t n);
/* Rows changed by the last db_exec on this connection. */
int64_t db_changes(struct db_conn *c);

/*
 * Starts a query; step through rows with db_next and always end with
 * db_done. Returns NULL on error (logged). Column accessors are valid
 * until the next db_next/db_done.
 */
struct db_stmt *db_query(
    struct db_conn *c, const char *sql, const struct db_param *p, size_t n);
enum db_status db_next(struct db_stmt *s);
const char *db_text(struct db_stmt *s, int col); /* NULL for SQL NULL */
int64_t db_int(struct db_stmt *s, int col);
/* A copy of a text column (caller frees): NULL for SQL NULL, or "" with
 * db_dup_text0. */
char *db_dup_text(struct db_stmt *s, int col);
char *db_dup_text0(struct db_stmt *s, int col);
int db_isnull(struct db_stmt *s, int col);
void db_done(struct db_stmt *s);

/*
 * Steps over the rest of s's rows and ends it (db_done): DB_OK when the
 * statement ran to its end, else its failure. A write with RETURNING
 * hands out its rows before it commits (SQLite, outside a transaction:
 * at the last step), so whoever acts on such a row must see this first.
 */
enum db_status db_finish(struct db_stmt *s);

/*
 * The first row of s, for a lookup of one row: 1 when there is one (read
 * its columns, then db_done(s)), 0 when there is none, -1 on an error or
 * when s is NULL (the db_query failed). On 0 and -1, s is already done.
 */
int db_first(struct db_stmt *s);

/* The integer in the first column of the first row (a COUNT, a RETURNING
 * value, which counts only once committed: db_finish); -1 on an error or
 * when there is no row. */
int64_t db_int_of(
    struct db_conn *c, const char *sql, const struct db_param *p, size_t n);

enum db_status db_begin(struct db_conn *c); /* a write transaction */
enum db_status db_commit(struct db_conn *c);
void db_rollback(struct db_conn *c);

/*
 * Runs fn in a transaction and commits; rolls back when fn returns
 * anything but DB_OK. A transaction that fails with DB_BUSY (lock
 * timeout, serialization failure, deadlock) is rolled back and run again
 * from the start, a few times, so fn must be safe to repeat: only
 * database work, and nothing kept in arg from an earlier attempt.
 */
enum db_status db_tx(struct db_conn *c,
    enum db_status (*fn)(struct db_conn *c, void *arg), void *arg);

/*
 * Upkeep that takes a while (SQLite: copying the WAL into the database
 * and syncing it, every ~1000 pages written) runs on threads that called
 * db_upkeep_thread (background workers), not on request threads, whose
 * other connections would wait for it; a request thread does it only
 * when the WAL has grown well past that (nothing else writing).
 */
void db_upkeep_thread(void);
int db_is_upkeep_thread(void);

/*
 * Threads that serve many connections each (libmicrohttpd's) never wait
 * for a lock that another process or node holds: their statements give
 * up at once (SQLite) or after DB_EVENT_LOCK_MS (PostgreSQL's
 * lock_timeout) with DB_BUSY and DB_FAULT_LOCKED. Other threads wait up
 * to database.lock_timeout.
 */
#define DB_EVENT_LOCK_MS 50
void db_event_thread(void);
int db_is_event_thread(void);

/* The worst fault the calling thread met since db_fault_clear(). */
enum db_fault db_fault_get(void);
void db_fault_clear(void);
/* "locked", "disk_full", ... for logs and metrics. */
const char *db_fault_name(enum db_fault f);

/*
 * For drivers: a statement met fault f (detail: the cause, for the log,
 * which says it once per fault and then once a minute at most); a write
 * reached the disk (ends a fault for readiness).
 */
void db_note_fault(enum db_fault f, const char *detail);
void db_note_write_ok(void);

/*
 * Whether the database takes writes now, for /readyz: 1 yes; 0 no, with
 * the reason in why ("locked by another process", "disk full", ...).
 * Bounded by a few hundred milliseconds. Takes a connection of its own.
 */
int db_ready(struct db *db, char *why, size_t len);

/*
 * Applies pending migrations; logs each one. 0 done, -1 failure, 1 when
 * the database holds a migration this binary does not know (a newer
 * version migrated it: logged, nothing applied; never a downgrade).
 */
int db_migrate(struct db *db);

/* The driver table; one per backend. */
struct db_driver {
	const char *name;
	void *(*connect)(const struct config *cfg);
	void (*disconnect)(void *h);
	enum db_status (*exec)(
	    void *h, const char *sql, const struct db_param *p, size_t n);
	int64_t (*changes)(void *h);
	struct db_stmt *(*query)(
	    void *h, const char *sql, const struct db_param *p, size_t n);
	enum db_status (*next)(struct db_stmt *s);
	const char *(*text)(struct db_stmt *s, int col);
	int64_t (*integer)(struct db_stmt *s, int col);
	int (*isnull)(struct db_stmt *s, int col);
	void (*done)(struct db_stmt *s);
	enum db_status (*script)(void *h, const char *sql);
	const char *begin_sql;
	/* Around a db_exec_relaxed statement; NULL: a plain db_exec. */
	const char *relaxed_on_sql, *relaxed_off_sql;
	/* Run first in each migration transaction; NULL: not needed. */
	const char *migrate_lock_sql;
	/* Can this connection write now (bounded wait)? DB_OK, or the
	 * status; the fault is recorded as for any statement. */
	enum db_status (*probe)(void *h, int repair);
};

extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_postgres_driver;

#endif
