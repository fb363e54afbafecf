/*
 * The PostgreSQL driver (libpq) behind db.h. One connection per pool slot;
 * statements are prepared once per connection and cached by SQL text and
 * parameter types; a result is fetched whole (every list query has a
 * LIMIT), so several statements can be open on one connection, as with
 * SQLite.
 *
 * Transactions run at READ COMMITTED. The queries are written for it: a
 * write that decides something checks its condition in the same statement
 * ("UPDATE ... WHERE state = 'sent'"), which PostgreSQL re-evaluates on
 * the newest row version after waiting for a concurrent writer, so of two
 * nodes only one wins. A statement outside a transaction that fails with
 * a serialization failure or deadlock is retried here; inside one the
 * caller gets DB_BUSY and db_tx() retries the whole transaction.
 */
#include "util/common.h"

#include <libpq-fe.h>
#include <time.h>

#include "db/db.h"
#include "util/config.h"
#include "util/log.h"

#define CACHE_MAX 256
#define MAX_PARAMS 32
#define RETRIES 4
#define TEXTOID 25
#define INT8OID 20

struct pg_prep {
	char *key; /* the caller's SQL text */
	char sig[MAX_PARAMS + 1]; /* parameter types: t, i, n */
	char name[16];
};

struct pg_conn {
	PGconn *h;
	int64_t lock_ms; /* the session's lock_timeout; -1 unknown */
	struct pg_prep cache[CACHE_MAX];
	size_t ncache;
	unsigned next_name;
	int64_t changes;
	int in_tx; /* after the last statement: inside a transaction */
};

struct pg_stmt {
	const struct db_driver *drv; /* must be first: see db.c */
	PGresult *res;
	enum db_status err; /* DB_OK, or the failure next() reports */
	int row, nrows;
};

/* Dialect: markers in the shared SQL that only PostgreSQL fills in. */
static const struct {
	const char *marker, *with;
} dialect[] = {
	{ DB_SKIP_LOCKED, "FOR UPDATE SKIP LOCKED" },
};

static void
quiet_notice(void *arg, const PGresult *res)
{
	(void)arg;
	/* "relation already exists, skipping" and the like: not news. */
	log_debug("postgres notice", "{s:s}", "message",
	    PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) ?
	        PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) :
	        "");
}

static int64_t lock_timeout_ms = 2000; /* database.lock_timeout */
static char node_id[128]; /* readiness row (server.node_id) */

/* 1 for the SQLSTATEs after which the same work may simply run again. */
static int
retryable(const char *state)
{
	return state != NULL &&
	    (strcmp(state, "40001") == 0 || /* serialization_failure */
	        strcmp(state, "40P01") == 0); /* deadlock_detected */
}

/*
 * The infrastructure faults among the SQLSTATEs (db.h): a lock that
 * outlasted lock_timeout (or a statement_timeout the operator set), a full
 * disk, a server that refuses writes (a standby after a failover) or is
 * going away.
 */
static enum db_fault
fault_of(const char *state)
{
	if (state == NULL)
		return DB_FAULT_DOWN; /* no answer at all */
	if (strcmp(state, "55P03") == 0 || strcmp(state, "57014") == 0)
		return DB_FAULT_LOCKED;
	if (strcmp(state, "53100") == 0)
		return DB_FAULT_FULL;
	if (strcmp(state, "25006") == 0)
		return DB_FAULT_READONLY;
	if (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0 ||
	    strncmp(state, "53", 2) == 0 || strcmp(state, "58030") == 0)
		return DB_FAULT_DOWN;
	return DB_FAULT_NONE;
}

static enum db_status
map_res(struct pg_conn *c, const PGresult *r, const char *sql)
{
	const char *state, *msg;
	char detail[512];
	enum db_fault f;

	switch (PQresultStatus(r)) {
	case PGRES_COMMAND_OK:
	case PGRES_TUPLES_OK:
	case PGRES_EMPTY_QUERY:
		return DB_OK;
	default:
		break;
	}
	state = r != NULL ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	if (retryable(state))
		return DB_BUSY;
	if (state != NULL && strncmp(state, "23", 2) == 0)
		return DB_CONSTRAINT;
	/* The primary message only: DETAIL can quote row values. */
	msg = r != NULL ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if ((f = fault_of(state)) != DB_FAULT_NONE) {
		/* Logged by db_note_fault, once per episode and interval. */
		snprintf(detail, sizeof(detail), "%s %s", state ? state : "-",
		    msg != NULL ? msg : PQerrorMessage(c->h));
		db_note_fault(f, detail);
		return f == DB_FAULT_LOCKED ? DB_BUSY : DB_ERROR;
	}
	log_error("postgres error", "{s:s,s:s,s:s}", "sqlstate",
	    state != NULL ? state : "", "error",
	    msg != NULL ? msg : PQerrorMessage(c->h), "sql", sql);
	return DB_ERROR;
}

/* Locale C, as SQLite: bytes order (keyset pages) and LOWER() folds ASCII
 * only (searches); C.UTF-8 would fold more. Only a warning: it works. */
static int
is_c(const char *locale)
{
	return strcmp(locale, "C") == 0 || strcmp(locale, "POSIX") == 0;
}

static void
check_server(struct pg_conn *c)
{
	PGresult *r = PQexec(c->h,
	    "SELECT current_setting('server_encoding'), "
	    "current_setting('lc_collate'), current_setting('lc_ctype')");

	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
		if (strcmp(PQgetvalue(r, 0, 0), "UTF8") != 0)
			log_warn("database encoding is not UTF8", "{s:s}",
			    "encoding", PQgetvalue(r, 0, 0));
		if (!is_c(PQgetvalue(r, 0, 1)) || !is_c(PQgetvalue(r, 0, 2)))
			log_warn("database locale is not C: create it with "
			         "LOCALE 'C' (docs/deploy.md)",
			    "{s:s,s:s}", "lc_collate", PQgetvalue(r, 0, 1),
			    "lc_ctype", PQgetvalue(r, 0, 2));
	}
	PQclear(r);
}

static void *
pg_connect(const struct config *cfg)
{
	struct pg_conn *c = xcalloc(1, sizeof(*c));

	c->h = PQconnectdb(cfg->database_url);
	if (c->h == NULL || PQstatus(c->h) != CONNECTION_OK) {
		/* libpq's message names host and database, never the
		 * password. */
		log_error("cannot connect to PostgreSQL", "{s:s}", "error",
		    c->h != NULL ? PQerrorMessage(c->h) : "out of memory");
		PQfinish(c->h);
		free(c);
		return NULL;
	}
	PQsetNoticeReceiver(c->h, quiet_notice, NULL);
	check_server(c);
	lock_timeout_ms = cfg->database_lock_timeout;
	snprintf(node_id, sizeof(node_id), "%s", cfg->server_node_id);
	c->lock_ms = -1;
	return c;
}

static void
forget_prepared(struct pg_conn *c)
{
	size_t i;

	for (i = 0; i < c->ncache; i++)
		free(c->cache[i].key);
	c->ncache = 0;
}

static void
pg_disconnect(void *h)
{
	struct pg_conn *c = h;

	forget_prepared(c);
	PQfinish(c->h);
	free(c);
}

/* A dropped connection (server restart, failover) is made again before
 * the next statement; prepared statements went with it. */
static int
ensure_connected(struct pg_conn *c)
{
	if (PQstatus(c->h) == CONNECTION_OK)
		return 0;
	forget_prepared(c);
	c->lock_ms = -1;
	PQreset(c->h);
	if (PQstatus(c->h) != CONNECTION_OK) {
		db_note_fault(DB_FAULT_DOWN, PQerrorMessage(c->h));
		return -1;
	}
	log_warn("reconnected to PostgreSQL", NULL);
	return 0;
}

/* The SQL with the dialect markers filled in; the caller frees it. */
static char *
rewrite(const char *sql)
{
	char *out = xstrdup(sql), *at, *next;
	size_t i, ml, wl, tail;

	for (i = 0; i < ST_ARRAY_LEN(dialect); i++) {
		ml = strlen(dialect[i].marker);
		wl = strlen(dialect[i].with);
		while ((at = strstr(out, dialect[i].marker)) != NULL) {
			tail = strlen(at + ml);
			next = xmalloc((size_t)(at - out) + wl + tail + 1);
			memcpy(next, out, (size_t)(at - out));
			memcpy(next + (at - out), dialect[i].with, wl);
			memcpy(next + (at - out) + wl, at + ml, tail + 1);
			free(out);
			out = next;
		}
	}
	return out;
}

static struct pg_prep *
prepare(struct pg_conn *c, const char *sql, const char *sig, const Oid *types,
    int n)
{
	struct pg_prep *p;
	PGresult *r;
	char *text;
	size_t i;

	for (i = 0; i < c->ncache; i++)
		if (strcmp(c->cache[i].sig, sig) == 0 &&
		    strcmp(c->cache[i].key, sql) == 0)
			return &c->cache[i];
	if (c->ncache == CACHE_MAX) {
		/* Every statement of the program fits; if not, start over
		 * rather than grow without bound. */
		r = PQexec(c->h, "DEALLOCATE ALL");
		PQclear(r);
		forget_prepared(c);
	}
	p = &c->cache[c->ncache];
	snprintf(p->name, sizeof(p->name), "st%u", c->next_name++);
	text = rewrite(sql);
	r = PQprepare(c->h, p->name, text, n, types);
	free(text);
	if (map_res(c, r, sql) != DB_OK) {
		PQclear(r);
		return NULL;
	}
	PQclear(r);
	p->key = xstrdup(sql);
	snprintf(p->sig, sizeof(p->sig), "%s", sig);
	c->ncache++;
	return p;
}

/*
 * The session's lock_timeout for the calling thread (db.h): HTTP threads
 * hardly wait, others database.lock_timeout. Set between transactions
 * only, when it changes.
 */
static int
set_lock_timeout(struct pg_conn *c)
{
	int64_t want = db_is_event_thread() ? DB_EVENT_LOCK_MS :
	                                      lock_timeout_ms;
	char sql[64];
	PGresult *r;
	int ok;

	if (c->in_tx || c->lock_ms == want)
		return 0;
	snprintf(sql, sizeof(sql), "SET lock_timeout = %lld", (long long)want);
	r = PQexec(c->h, sql);
	ok = map_res(c, r, sql) == DB_OK;
	PQclear(r);
	if (!ok)
		return -1;
	c->lock_ms = want;
	return 0;
}

static void
backoff(int attempt)
{
	struct timespec ts = { 0, (long)(1000000L << attempt) }; /* 1-8 ms */

	nanosleep(&ts, NULL);
}

/* A write reached the database: a COMMIT, or a change outside a
 * transaction. */
static int
wrote(const PGresult *r, int in_tx)
{
	const char *cmd = PQcmdStatus((PGresult *)(uintptr_t)r);

	if (strcmp(cmd, "COMMIT") == 0)
		return 1;
	return !in_tx &&
	    (strncmp(cmd, "INSERT", 6) == 0 || strncmp(cmd, "UPDATE", 6) == 0 ||
	        strncmp(cmd, "DELETE", 6) == 0);
}

/*
 * Runs one statement; *st is its status. Returns the result (caller
 * clears), or NULL when there is none.
 */
static PGresult *
run(struct pg_conn *c, const char *sql, const struct db_param *p, size_t n,
    enum db_status *st)
{
	char sig[MAX_PARAMS + 1], nums[MAX_PARAMS][24];
	const char *vals[MAX_PARAMS];
	Oid types[MAX_PARAMS];
	struct pg_prep *prep;
	PGresult *r;
	int attempt, idle;
	size_t i;

	*st = DB_ERROR;
	if (n > MAX_PARAMS) {
		log_error("too many parameters", "{s:s}", "sql", sql);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		vals[i] = NULL;
		switch (p[i].type) {
		case DBP_NULL:
			sig[i] = 'n';
			types[i] = 0; /* the server infers it */
			break;
		case DBP_TEXT:
			sig[i] = 't';
			types[i] = TEXTOID;
			vals[i] = p[i].text;
			break;
		case DBP_INT:
			sig[i] = 'i';
			types[i] = INT8OID;
			snprintf(nums[i], sizeof(nums[i]), "%lld",
			    (long long)p[i].i);
			vals[i] = nums[i];
			break;
		}
	}
	sig[n] = '\0';
	if (PQstatus(c->h) != CONNECTION_OK && c->in_tx) {
		/* The transaction died with the connection: fail until the
		 * caller's ROLLBACK, never go on in a new one. */
		if (strcmp(sql, "ROLLBACK") == 0) {
			c->in_tx = 0;
			*st = DB_OK;
		}
		return NULL;
	}
	for (attempt = 0;; attempt++) {
		idle = !c->in_tx;
		if (ensure_connected(c) == -1 || set_lock_timeout(c) == -1)
			return NULL;
		if ((prep = prepare(c, sql, sig, types, (int)n)) == NULL)
			return NULL;
		r = PQexecPrepared(
		    c->h, prep->name, (int)n, vals, NULL, NULL, 0);
		*st = map_res(c, r, sql);
		if (PQstatus(c->h) == CONNECTION_OK)
			c->in_tx = PQtransactionStatus(c->h) ==
			        PQTRANS_INTRANS ||
			    PQtransactionStatus(c->h) == PQTRANS_INERROR;
		/* Outside a transaction the statement is its own, so it can
		 * run again as it is; inside, the caller's db_tx retries. Only
		 * a serialization failure or a deadlock: a lock that outlasted
		 * lock_timeout is the answer (503), not a reason to wait that
		 * long again (it made a write wait 5 x lock_timeout). */
		if (*st == DB_BUSY && idle && attempt < RETRIES &&
		    retryable(PQresultErrorField(r, PG_DIAG_SQLSTATE))) {
			PQclear(r);
			backoff(attempt);
			continue;
		}
		if (*st == DB_OK) {
			c->changes = strtoll(PQcmdTuples(r), NULL, 10);
			if (wrote(r, c->in_tx))
				db_note_write_ok();
		}
		return r;
	}
}

static enum db_status
pg_exec(void *h, const char *sql, const struct db_param *p, size_t n)
{
	enum db_status st;

	PQclear(run(h, sql, p, n, &st));
	return st;
}

static int64_t
pg_changes(void *h)
{
	return ((struct pg_conn *)h)->changes;
}

static struct db_stmt *
pg_query(void *h, const char *sql, const struct db_param *p, size_t n)
{
	struct pg_stmt *s;
	enum db_status st;
	PGresult *r = run(h, sql, p, n, &st);

	if (r == NULL && st == DB_ERROR)
		return NULL;
	s = xcalloc(1, sizeof(*s));
	s->drv = &db_postgres_driver;
	s->res = r;
	/* As with SQLite, a failing statement reports at db_next. */
	s->err = st;
	s->row = -1;
	s->nrows = st == DB_OK ? PQntuples(r) : 0;
	return (struct db_stmt *)(void *)s;
}

static enum db_status
pg_next(struct db_stmt *st)
{
	struct pg_stmt *s = (struct pg_stmt *)(void *)st;

	if (s->err != DB_OK)
		return s->err;
	if (s->row + 1 >= s->nrows) {
		s->row = s->nrows;
		return DB_DONE;
	}
	s->row++;
	return DB_ROW;
}

static const char *
pg_text(struct db_stmt *st, int col)
{
	struct pg_stmt *s = (struct pg_stmt *)(void *)st;

	if (s->row < 0 || s->row >= s->nrows || col >= PQnfields(s->res) ||
	    PQgetisnull(s->res, s->row, col))
		return NULL;
	return PQgetvalue(s->res, s->row, col);
}

static int64_t
pg_int(struct db_stmt *st, int col)
{
	const char *v = pg_text(st, col);

	if (v == NULL)
		return 0;
	/* Conditions (x IS NOT NULL) come back as booleans. */
	if (strcmp(v, "t") == 0)
		return 1;
	if (strcmp(v, "f") == 0)
		return 0;
	return strtoll(v, NULL, 10);
}

static int
pg_isnull(struct db_stmt *st, int col)
{
	return pg_text(st, col) == NULL;
}

static void
pg_done(struct db_stmt *st)
{
	struct pg_stmt *s = (struct pg_stmt *)(void *)st;

	PQclear(s->res);
	free(s);
}

static enum db_status
pg_script(void *h, const char *sql)
{
	struct pg_conn *c = h;
	PGresult *r = PQexec(c->h, sql);
	enum db_status st = map_res(c, r, "script");

	PQclear(r);
	return st;
}

/*
 * Readiness: would a write wait for a lock now? Asks for the lock every
 * INSERT and UPDATE takes on the tables every flow writes (ROW EXCLUSIVE:
 * it waits only for LOCK TABLE, VACUUM FULL and the like, never for
 * other writers), within SQLITE_LOCK_PROBE_MS; a standby (after a
 * failover) takes no writes. With repair also commits a small write.
 */
static enum db_status
pg_probe(void *h, int repair)
{
	struct pg_conn *c = h;
	struct db_stmt *s;
	enum db_status st;
	int standby = 0;

	s = pg_query(h, "SELECT pg_is_in_recovery()", NULL, 0);
	if (s == NULL || (st = pg_next(s)) != DB_ROW) {
		pg_done(s);
		return DB_ERROR;
	}
	standby = pg_int(s, 0) != 0;
	pg_done(s);
	if (standby) {
		db_note_fault(DB_FAULT_READONLY,
		    "the PostgreSQL server is a standby (read-only)");
		return DB_ERROR;
	}
	if ((st = pg_exec(h, "BEGIN", NULL, 0)) != DB_OK)
		return st;
	if ((st = pg_exec(h, "SET LOCAL lock_timeout = 250", NULL, 0)) ==
	        DB_OK &&
	    (st = pg_exec(h,
	         "LOCK TABLE users, sessions, messages, files, outbox, "
	         "events IN ROW EXCLUSIVE MODE",
	         NULL, 0)) == DB_OK &&
	    repair)
		st = pg_exec(h,
		    "INSERT INTO readiness (node, probed_at) VALUES ($1, $2) "
		    "ON CONFLICT (node) DO UPDATE SET probed_at = "
		    "excluded.probed_at",
		    DB_PARAMS(DB_TEXT(node_id), DB_INT((int64_t)time(NULL))));
	if (st == DB_OK && repair)
		st = pg_exec(h, "COMMIT", NULL, 0);
	else
		(void)pg_exec(h, "ROLLBACK", NULL, 0);
	(void)c;
	return st;
}

const struct db_driver db_postgres_driver = {
	.name = "postgres",
	.connect = pg_connect,
	.disconnect = pg_disconnect,
	.exec = pg_exec,
	.changes = pg_changes,
	.query = pg_query,
	.next = pg_next,
	.text = pg_text,
	.integer = pg_int,
	.isnull = pg_isnull,
	.done = pg_done,
	.script = pg_script,
	.probe = pg_probe,
	.begin_sql = "BEGIN",
	/* Nodes starting together: one migrates, the others wait and then
	 * find nothing left to do. Per schema, so installations can share a
	 * database. */
	.migrate_lock_sql = "SELECT pg_advisory_xact_lock(hashtext("
	                    "current_schema() || '.schema_migrations'))",
};
