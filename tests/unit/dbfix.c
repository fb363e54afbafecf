/* The database fixture of the unit tests; see dbfix.h. */
#include "unit.h"

#include <ftw.h>
#include <libpq-fe.h>
#include <sodium.h>
#include <unistd.h>

#include "util/log.h"

#include "dbfix.h"

static void
set_field(char **field, const char *value)
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

int
open_fix(struct dbfix *f, const char *driver, int pool)
{
	char err[256], path[128], url[1024];

	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/st-db-XXXXXX");
	if (mkdtemp(f->dir) == NULL ||
	    config_load(&f->cfg, NULL, err, sizeof(err)) == -1)
		return -1;
	set_field(&f->cfg.database_driver, driver);
	f->cfg.database_pool = pool;
	if (strcmp(driver, "postgres") == 0) {
		if (pg_schema(f, url, sizeof(url)) == -1)
			return -1;
		set_field(&f->cfg.database_url, url);
	} else {
		snprintf(path, sizeof(path), "%s/st.db", f->dir);
		set_field(&f->cfg.database_path, path);
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

void
close_fix(struct dbfix *f)
{
	db_close(f->db);
	config_release(&f->cfg);
	nftw(f->dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

void
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
