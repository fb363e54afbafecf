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

/* 1 for the SQLSTATEs after which the same work may simply run again. */
static int
retryable(const char *state)
{
	return state != NULL &&
	    (strcmp(state, "40001") == 0 || /* serialization_failure */
	        strcmp(state, "40P01") == 0 || /* deadlock_detected */
	        strcmp(state, "55P03") == 0); /* lock_not_available */
}

static enum db_status
map_res(struct pg_conn *c, const PGresult *r, const char *sql)
{
	const char *state, *msg;

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
	PQreset(c->h);
	if (PQstatus(c->h) != CONNECTION_OK) {
		log_error("cannot reconnect to PostgreSQL", "{s:s}", "error",
		    PQerrorMessage(c->h));
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

static void
backoff(int attempt)
{
	struct timespec ts = { 0, (long)(1000000L << attempt) }; /* 1-8 ms */

	nanosleep(&ts, NULL);
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
		if (ensure_connected(c) == -1)
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
		 * run again as it is; inside, the caller's db_tx retries. */
		if (*st == DB_BUSY && idle && attempt < RETRIES) {
			PQclear(r);
			backoff(attempt);
			continue;
		}
		if (*st == DB_OK)
			c->changes = strtoll(PQcmdTuples(r), NULL, 10);
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
	.begin_sql = "BEGIN",
	/* Nodes starting together: one migrates, the others wait and then
	 * find nothing left to do. Per schema, so installations can share a
	 * database. */
	.migrate_lock_sql = "SELECT pg_advisory_xact_lock(hashtext("
	                    "current_schema() || '.schema_migrations'))",
};
