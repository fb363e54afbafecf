/*
 * The database drivers behind db.h: each test runs on SQLite (a temp
 * file) and, when ST_TEST_PG names a PostgreSQL server (tests/run-all
 * starts one), on PostgreSQL in a schema of its own. The same SQL, the
 * same answers.
 */
#include "unit.h"

#include <ftw.h>
#include <libpq-fe.h>
#include <sodium.h>
#include <unistd.h>

#include "db/db.h"
#include "db/jobs_db.h"
#include "db/messages_db.h"
#include "db/outbox_db.h"
#include "db/secret_checks_db.h"
#include "util/config.h"
#include "util/log.h"

struct dbfix {
	struct config cfg;
	struct db *db;
	char dir[64];
	char schema[32];
};

static void
set(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
}

/* The ST_TEST_PG server's connection string with a fresh schema. */
static int
pg_schema(struct dbfix *f, char *url, size_t len)
{
	const char *base = unit_getenv("ST_TEST_PG");
	char sql[256];
	PGconn *h;
	PGresult *r;
	int ok;

	snprintf(f->schema, sizeof(f->schema), "unit_%ld_%u", (long)getpid(),
	    (unsigned)randombytes_uniform(1u << 30));
	h = PQconnectdb(base);
	snprintf(sql, sizeof(sql),
	    "SET client_min_messages = warning; DROP SCHEMA IF EXISTS %s "
	    "CASCADE; CREATE SCHEMA %s",
	    f->schema, f->schema);
	r = PQexec(h, sql);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	PQfinish(h);
	snprintf(url, len, "%s options='-csearch_path=%s'", base, f->schema);
	return ok ? 0 : -1;
}

/* Opens a migrated database on driver ("sqlite" or "postgres"). */
static int
open_fix(struct dbfix *f, const char *driver, int pool)
{
	char err[256], path[128], url[1024];

	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/st-db-XXXXXX");
	if (mkdtemp(f->dir) == NULL ||
	    config_load(&f->cfg, NULL, err, sizeof(err)) == -1)
		return -1;
	set(&f->cfg.database_driver, driver);
	f->cfg.database_pool = pool;
	if (strcmp(driver, "postgres") == 0) {
		if (pg_schema(f, url, sizeof(url)) == -1)
			return -1;
		set(&f->cfg.database_url, url);
	} else {
		snprintf(path, sizeof(path), "%s/st.db", f->dir);
		set(&f->cfg.database_path, path);
	}
	log_set_level(LOG_WARN);
	if (db_open(&f->cfg, &f->db) == -1 || db_migrate(f->db) == -1) {
		log_set_level(LOG_INFO);
		return -1;
	}
	log_set_level(LOG_INFO);
	return 0;
}

static int
rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static void
close_fix(struct dbfix *f)
{
	db_close(f->db);
	config_release(&f->cfg);
	nftw(f->dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* Runs body on each driver available. */
static void
each_driver(void (*body)(struct dbfix *f, const char *driver), int pool)
{
	static const char *const drivers[] = { "sqlite", "postgres" };
	struct dbfix f;
	size_t i;

	for (i = 0; i < ST_ARRAY_LEN(drivers); i++) {
		if (i == 1 && unit_getenv("ST_TEST_PG") == NULL) {
			printf("  (postgres: skipped, ST_TEST_PG not set)\n");
			continue;
		}
		if (open_fix(&f, drivers[i], pool) == -1) {
			unit_fail(__FILE__, __LINE__, drivers[i]);
			continue;
		}
		body(&f, drivers[i]);
		close_fix(&f);
	}
}

static void
values_body(struct dbfix *f, const char *driver)
{
	struct db_conn *c = db_get(f->db);
	struct db_stmt *s;

	CHECK(strcmp(db_driver_name(f->db), driver) == 0);
	REQUIRE(
	    db_exec(c,
	        "INSERT INTO organisations (domain, added_at) VALUES ($1, "
	        "$2)",
	        DB_PARAMS(DB_TEXT("o'quote.nl"), DB_INT(INT64_MAX))) == DB_OK);
	REQUIRE(
	    db_exec(c,
	        "INSERT INTO organisations (domain, added_at) VALUES ($1, "
	        "$2)",
	        DB_PARAMS(DB_TEXT("ünïcode.nl"), DB_INT(INT64_MIN))) == DB_OK);
	s = db_query(c,
	    "SELECT domain, added_at, added_at > 0, NULL, $1 = '' FROM "
	    "organisations ORDER BY domain",
	    DB_PARAMS(DB_TEXT("")));
	REQUIRE(s != NULL);
	REQUIRE(db_next(s) == DB_ROW);
	/* Bytes order, as SQLite: "o" (0x6f) before "ü" (0xc3 0xbc). */
	CHECK(strcmp(db_text(s, 0), "o'quote.nl") == 0);
	CHECK(db_int(s, 1) == INT64_MAX);
	CHECK(db_int(s, 2) == 1); /* a boolean comes back as 1/0 */
	CHECK(db_isnull(s, 3) && db_text(s, 3) == NULL);
	CHECK(db_int(s, 4) == 1);
	REQUIRE(db_next(s) == DB_ROW);
	CHECK(strcmp(db_text(s, 0), "ünïcode.nl") == 0);
	CHECK(db_int(s, 1) == INT64_MIN);
	CHECK(db_int(s, 2) == 0);
	CHECK(db_next(s) == DB_DONE);
	db_done(s);
	/* LOWER folds ASCII only, on both. */
	s = db_query(c, "SELECT LOWER($1)", DB_PARAMS(DB_TEXT("ABC-Ü")));
	REQUIRE(s != NULL && db_next(s) == DB_ROW);
	CHECK(strcmp(db_text(s, 0), "abc-Ü") == 0);
	db_done(s);
	db_put(c);
}

TEST(db_values_round_trip)
{
	each_driver(values_body, 2);
}

static void
status_body(struct dbfix *f, const char *driver)
{
	struct db_conn *c = db_get(f->db);
	struct db_stmt *s;

	(void)driver;
	CHECK(db_exec(c,
	          "INSERT INTO organisations (domain, added_at) VALUES ($1, 1)",
	          DB_PARAMS(DB_TEXT("a.nl"))) == DB_OK);
	CHECK(db_exec(c,
	          "INSERT INTO organisations (domain, added_at) VALUES ($1, 1)",
	          DB_PARAMS(DB_TEXT("a.nl"))) == DB_CONSTRAINT);
	CHECK(db_exec(c,
	          "INSERT INTO organisations (domain, added_at) VALUES ($1, 1)",
	          DB_PARAMS(DB_TEXT("b.nl"))) == DB_OK);
	CHECK(db_exec(c, "UPDATE organisations SET added_at = $1",
	          DB_PARAMS(DB_INT(5))) == DB_OK);
	CHECK(db_changes(c) == 2);
	CHECK(db_exec(c, "DELETE FROM organisations WHERE domain = $1",
	          DB_PARAMS(DB_TEXT("none"))) == DB_OK);
	CHECK(db_changes(c) == 0);
	/* An upsert that changes nothing counts nothing (job claims). */
	CHECK(job_claim(c, "j", "node-a", 100, 200) == 1);
	CHECK(job_claim(c, "j", "node-b", 150, 250) == 0);
	CHECK(job_claim(c, "j", "node-a", 150, 300) == 1); /* renewal */
	CHECK(job_claim(c, "j", "node-b", 301, 400) == 1); /* run out */
	CHECK(job_release(c, "j", "node-a") == DB_OK);
	CHECK(job_claim(c, "j", "node-a", 302, 400) == 0);
	CHECK(job_release(c, "j", "node-b") == DB_OK);
	CHECK(job_claim(c, "j", "node-a", 303, 400) == 1);
	/* A constraint failure inside a query shows at db_next. */
	s = db_query(c,
	    "INSERT INTO organisations (domain, added_at) VALUES ($1, 1) "
	    "RETURNING domain",
	    DB_PARAMS(DB_TEXT("a.nl")));
	CHECK(s != NULL && db_next(s) == DB_CONSTRAINT);
	db_done(s);
	log_set_level(LOG_FATAL);
	CHECK(
	    db_exec(c, "SELECT * FROM no_such_table", DB_NOPARAMS) == DB_ERROR);
	log_set_level(LOG_INFO);
	db_put(c);
}

TEST(db_status_changes_and_claims)
{
	each_driver(status_body, 2);
}

static void
secrets_body(struct dbfix *f, const char *driver)
{
	struct secrets mine, copy, other;
	const char *which = "unset";

	(void)driver;
	memset(&mine, 1, sizeof(mine));
	copy = mine;
	other = mine;
	other.outbox_key[31] ^= 1;
	/* The first start records; the same secrets (another node's copy,
	 * a restart) pass. */
	CHECK(
	    secret_checks_verify(f->db, &mine, 10, &which) == SECRET_CHECK_OK);
	CHECK(which == NULL);
	CHECK(
	    secret_checks_verify(f->db, &copy, 20, &which) == SECRET_CHECK_OK);
	/* One bit off in one file: refused, and named. */
	CHECK(secret_checks_verify(f->db, &other, 30, &which) ==
	    SECRET_CHECK_MISMATCH);
	CHECK(which != NULL && strcmp(which, "outbox.key") == 0);
	other = mine;
	other.pepper[0] ^= 0x80;
	CHECK(secret_checks_verify(f->db, &other, 30, &which) ==
	    SECRET_CHECK_MISMATCH);
	CHECK(which != NULL && strcmp(which, "pepper") == 0);
	/* A refused node recorded nothing: the first secrets still pass. */
	CHECK(
	    secret_checks_verify(f->db, &mine, 40, &which) == SECRET_CHECK_OK);
}

TEST(db_secret_checks_refuse_other_secrets)
{
	each_driver(secrets_body, 1);
}

static enum db_status
insert_then(struct db_conn *c, void *arg)
{
	int *calls = arg;

	if (db_exec(c,
	        "INSERT INTO organisations (domain, added_at) VALUES ($1, 1)",
	        DB_PARAMS(DB_TEXT("tx.nl"))) != DB_OK)
		return DB_ERROR;
	/* The first attempt fails as a serialization failure would. */
	return (*calls)++ == 0 ? DB_BUSY : DB_OK;
}

static enum db_status
fail_constraint(struct db_conn *c, void *arg)
{
	(void)arg;
	(void)db_exec(c,
	    "INSERT INTO organisations (domain, added_at) VALUES ($1, 1)",
	    DB_PARAMS(DB_TEXT("gone.nl")));
	return DB_CONSTRAINT;
}

static int64_t
count_orgs(struct db_conn *c)
{
	struct db_stmt *s = db_query(
	    c, "SELECT COUNT(*) FROM organisations", DB_NOPARAMS);
	int64_t n = -1;

	if (s != NULL && db_next(s) == DB_ROW)
		n = db_int(s, 0);
	db_done(s);
	return n;
}

static void
tx_body(struct dbfix *f, const char *driver)
{
	struct db_conn *c = db_get(f->db);
	int calls = 0;

	(void)driver;
	CHECK(db_tx(c, insert_then, &calls) == DB_OK);
	CHECK(calls == 2); /* retried once, the first attempt rolled back */
	CHECK(count_orgs(c) == 1);
	CHECK(db_tx(c, fail_constraint, NULL) == DB_CONSTRAINT);
	CHECK(count_orgs(c) == 1); /* not retried, rolled back */
	REQUIRE(db_begin(c) == DB_OK);
	CHECK(db_exec(c, "DELETE FROM organisations", DB_NOPARAMS) == DB_OK);
	db_rollback(c);
	CHECK(count_orgs(c) == 1);
	db_put(c);
	/* Migrations run again find nothing to do. */
	CHECK(db_migrate(f->db) == 0);
	/* A migration missing below the highest applied one (branches merged
	 * in another order) still runs: forget 0011 and its tables. */
	c = db_get(f->db);
	CHECK(db_exec(c, "DROP TABLE s3_parts", DB_NOPARAMS) == DB_OK);
	CHECK(db_exec(c, "DROP TABLE s3_uploads", DB_NOPARAMS) == DB_OK);
	CHECK(db_exec(c, "DELETE FROM schema_migrations WHERE version = 11",
	          DB_NOPARAMS) == DB_OK);
	db_put(c);
	CHECK(db_migrate(f->db) == 0);
	c = db_get(f->db);
	CHECK(db_int_of(c, "SELECT COUNT(*) FROM s3_parts", DB_NOPARAMS) == 0);
	CHECK(db_int_of(c,
	          "SELECT COUNT(*) FROM schema_migrations WHERE version = 11",
	          DB_NOPARAMS) == 1);
	db_put(c);
}

TEST(db_transactions_and_retry)
{
	each_driver(tx_body, 1);
}

/* A user, a message and two files for the lease tests. */
static int
seed_files(struct db_conn *c)
{
	static const char *const sql[] = {
		"INSERT INTO users (id, email, name, created_at) VALUES "
		"('u1', 'u1@org.nl', 'U', 1)",
		"INSERT INTO messages (id, sender_id, rcpt_email, rcpt_name, "
		"rcpt_kind, subject, reference, state, total_size, created_at, "
		"upload_deadline) VALUES ('m1', 'u1', 'r@x.nl', 'R', 'link', "
		"'s', 'r', 'uploading', 2, 1, 9999999999)",
		"INSERT INTO files (id, message_id, idx, name, size, "
		"ciphertext_size, object_key) VALUES ('f1', 'm1', 0, 'a', 1, "
		"1, 'k1')",
		"INSERT INTO files (id, message_id, idx, name, size, "
		"ciphertext_size, object_key) VALUES ('f2', 'm1', 1, 'b', 1, "
		"1, 'k2')",
	};
	size_t i;

	for (i = 0; i < ST_ARRAY_LEN(sql); i++)
		if (db_exec(c, sql[i], DB_NOPARAMS) != DB_OK)
			return -1;
	return 0;
}

static void
lease_body(struct dbfix *f, const char *driver)
{
	struct db_conn *c = db_get(f->db);

	(void)driver;
	REQUIRE(seed_files(c) == 0);
	CHECK(file_lease(c, "f1", "node-a", 100, 1000, 0) == 1);
	CHECK(file_lease(c, "f1", "node-b", 200, 1100, 0) == 0); /* held */
	CHECK(file_lease(c, "f2", "node-b", 200, 1100, 0) == 1);
	CHECK(file_lease_renew(c, "f1", "node-b", 5000) == DB_OK);
	CHECK(db_changes(c) == 0); /* not b's to renew */
	/* Node a starts again: its lease ends, b's (maybe live) stays. */
	CHECK(files_release_leases(c, "node-a") == DB_OK);
	CHECK(file_lease(c, "f1", "node-b", 300, 1200, 0) == 1);
	CHECK(file_lease(c, "f2", "node-a", 300, 1200, 0) == 0);
	CHECK(file_lease(c, "f2", "node-a", 1101, 1200, 0) == 1); /* ran out */
	db_put(c);
}

TEST(db_patch_leases_per_node)
{
	each_driver(lease_body, 1);
}

static int
outbox_add(struct db_conn *c, const char *id, int64_t at)
{
	return outbox_insert(c, id, "mail", "x@y.nl", "p", NULL, at) == DB_OK ?
	    0 :
	    -1;
}

/*
 * Two workers claim at once: on PostgreSQL the second skips the row the
 * first has locked (SKIP LOCKED) instead of waiting for it or taking it.
 */
TEST(db_outbox_claims_skip_locked_rows)
{
	struct outbox_row r1 = { 0 }, r2 = { 0 }, r3 = { 0 };
	struct db_conn *a, *b;
	struct dbfix f;

	if (unit_getenv("ST_TEST_PG") == NULL) {
		printf("  (postgres: skipped, ST_TEST_PG not set)\n");
		return;
	}
	REQUIRE(open_fix(&f, "postgres", 2) == 0);
	a = db_get(f.db);
	b = db_get(f.db);
	REQUIRE(outbox_add(a, "o1", 10) == 0 && outbox_add(a, "o2", 20) == 0);
	/* Without SKIP LOCKED b would wait for a: fail instead of hang. */
	REQUIRE(db_exec(b, "SET lock_timeout = '1s'", DB_NOPARAMS) == DB_OK);
	REQUIRE(db_begin(a) == DB_OK);
	CHECK(outbox_claim(a, 100, 60, "n1", "t", &r1) == 1);
	CHECK(strcmp(r1.id, "o1") == 0);
	/* a has not committed: o1 is locked, not yet marked claimed. */
	CHECK(outbox_claim(b, 100, 60, "n2", "t", &r2) == 1);
	CHECK(strcmp(r2.id, "o2") == 0);
	CHECK(db_commit(a) == DB_OK);
	CHECK(outbox_claim(b, 100, 60, "n2", "t", &r3) ==
	    0); /* both are claimed */
	outbox_row_release(&r1);
	outbox_row_release(&r2);
	db_put(a);
	db_put(b);
	close_fix(&f);
}

/* A connection the server dropped is made again for the next statement;
 * a lock wait that times out is DB_BUSY, not an error. */
TEST(db_postgres_reconnects_and_maps_lock_timeouts)
{
	struct db_conn *a, *b;
	struct db_stmt *s;
	struct dbfix f;
	char pid[32] = "";

	if (unit_getenv("ST_TEST_PG") == NULL) {
		printf("  (postgres: skipped, ST_TEST_PG not set)\n");
		return;
	}
	REQUIRE(open_fix(&f, "postgres", 2) == 0);
	a = db_get(f.db);
	b = db_get(f.db);
	s = db_query(a, "SELECT pg_backend_pid()", DB_NOPARAMS);
	REQUIRE(s != NULL && db_next(s) == DB_ROW);
	snprintf(pid, sizeof(pid), "%s", db_text(s, 0));
	db_done(s);
	log_set_level(LOG_FATAL);
	CHECK(db_exec(b, "SELECT pg_terminate_backend($1::int)",
	          DB_PARAMS(DB_INT(strtoll(pid, NULL, 10)))) == DB_OK);
	usleep(100000);
	/* The first statement on the dead connection fails... */
	(void)db_exec(a, "SELECT 1", DB_NOPARAMS);
	/* ...and the next one runs on a new connection. */
	CHECK(db_exec(a,
	          "INSERT INTO organisations (domain, added_at) VALUES ($1, 1)",
	          DB_PARAMS(DB_TEXT("after.nl"))) == DB_OK);
	REQUIRE(db_begin(a) == DB_OK);
	CHECK(db_exec(a, "UPDATE organisations SET added_at = 2",
	          DB_NOPARAMS) == DB_OK);
	CHECK(db_exec(b, "SET lock_timeout = '20ms'", DB_NOPARAMS) == DB_OK);
	CHECK(db_exec(b, "UPDATE organisations SET added_at = 3",
	          DB_NOPARAMS) == DB_BUSY);
	db_rollback(a);
	CHECK(db_exec(b, "UPDATE organisations SET added_at = 3",
	          DB_NOPARAMS) == DB_OK);
	log_set_level(LOG_INFO);
	db_put(a);
	db_put(b);
	close_fix(&f);
}
