/*
 * The key-transparency log at scale (docs/transparency.md): fills a log of
 * N leaves (default 1,000,000) in a fresh database through the server's
 * own append code (domain/kt.c), then measures one-key appends (each its
 * own durable transaction, as a key change makes them), the database's
 * size, and the making and checking of inclusion and consistency proofs.
 * Writes DIR/proofs.json (a sample, for the JavaScript timing in
 * verify.mjs). Prints "<name> <value>" lines.
 *
 *	bench DIR [N [postgres CONNINFO]]
 */
#include "util/common.h"

#include <jansson.h>
#include <sodium.h>
#include <sys/stat.h>
#include <time.h>

#include "api/kt_json.h"
#include "db/db.h"
#include "domain/kt.h"
#include "util/config.h"
#include "util/log.h"
#include "util/num.h"
#include "util/rand.h"

#define BATCH 1000
#define SAMPLES 2000
#define SINGLE 500

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The harness's ST_* variables (ST_BUILD, ...) are not settings, and the
 * configuration refuses ST_* names it does not know: out with them. */
static void
drop_st_env(void)
{
	extern char **environ;
	char name[128];
	char **e;

	for (e = environ; e != NULL && *e != NULL;) {
		size_t n = strcspn(*e, "=");

		if (strncmp(*e, "ST_", 3) == 0 && n < sizeof(name)) {
			memcpy(name, *e, n);
			name[n] = '\0';
			unsetenv(name);
			e = environ; /* unsetenv moved the entries */
		} else
			e++;
	}
}

static void
set(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
}

static int
append_batch(struct db *db, const struct tlog_signer *s, uint64_t first,
    size_t n)
{
	struct kt_entry *e = xcalloc(n, sizeof(*e));
	char (*email)[48] = xcalloc(n, sizeof(*email));
	struct db_conn *c = db_get(db);
	size_t i;
	int rc = -1;

	for (i = 0; i < n; i++) {
		snprintf(email[i], sizeof(email[i]), "u%" PRIu64 "@bench.nl",
		    first + i);
		e[i].email = email[i];
		e[i].ev = TLOG_EV_ACCOUNT;
		randombytes_buf(e[i].x25519, 32);
		randombytes_buf(e[i].ed25519, 32);
	}
	if (db_begin(c) == DB_OK) {
		rc = kt_append(c, s, e, n, 1700000000);
		if (rc == 0 && db_commit(c) != DB_OK)
			rc = -1;
		if (rc == -1)
			db_rollback(c);
	}
	db_put(c);
	free(e);
	free(email);
	return rc;
}

static int64_t
file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (int64_t)st.st_size : 0;
}

static int64_t
pg_size(struct db *db)
{
	struct db_conn *c = db_get(db);
	int64_t n = db_int_of(c,
	    "SELECT pg_total_relation_size('kt_leaves') + "
	    "pg_total_relation_size('kt_nodes') + "
	    "pg_total_relation_size('kt_head')",
	    DB_NOPARAMS);

	db_put(c);
	return n;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* "<name>_p50_us <v>" and p99 of n samples (seconds). */
static void
report(const char *name, double *t, size_t n)
{
	qsort(t, n, sizeof(*t), cmp_double);
	printf("%s_p50_us %.1f\n%s_p99_us %.1f\n", name, t[n / 2] * 1e6, name,
	    t[n * 99 / 100] * 1e6);
}

static void
proofs(struct db *db, const struct tlog_signer *s, uint64_t size,
    const char *dir)
{
	double *tp = xcalloc(SAMPLES, sizeof(double)),
	       *tv = xcalloc(SAMPLES, sizeof(double)),
	       *tc = xcalloc(SAMPLES, sizeof(double)),
	       *tcv = xcalloc(SAMPLES, sizeof(double));
	unsigned char cons[TLOG_MAX_PROOF][TLOG_HASH_LEN], raw[TLOG_LEAF_LEN],
	    lh[32], root1[32];
	struct tlog_checkpoint cp;
	struct db_conn *c = db_get(db);
	struct kt_view v;
	struct kt_proof *p = xcalloc(1, sizeof(*p));
	json_t *sample = json_array();
	size_t i, n, hashes = 0, chashes = 0, json_bytes = 0;
	char email[48], path[512];
	double t0, tsig;

	if (kt_view_get(c, &v) == -1 ||
	    tlog_checkpoint_open(&s->v, v.checkpoint, strlen(v.checkpoint),
	        &cp) != TLOG_NOTE_OK)
		abort();
	t0 = now();
	for (i = 0; i < 100; i++)
		tlog_checkpoint_open(&s->v, v.checkpoint, strlen(v.checkpoint),
		    &cp);
	tsig = (now() - t0) / 100;
	for (i = 0; i < SAMPLES; i++) {
		uint64_t idx = randombytes_uniform((uint32_t)size);
		json_t *j;
		char *txt;

		snprintf(email, sizeof(email), "u%" PRIu64 "@bench.nl", idx);
		t0 = now();
		if (kt_key_proof(c, &v, email, NULL, NULL, p) != 1)
			abort();
		tp[i] = now() - t0;
		hashes += p->n;
		j = api_kt_proof_json(&v, p);
		txt = json_dumps(j, JSON_COMPACT);
		json_bytes += strlen(txt);
		if (i < 200)
			json_array_append_new(sample,
			    json_pack("{s:s,s:o}", "email", email, "log", j));
		else
			json_decref(j);
		free(txt);
		b64u_decode(raw, sizeof(raw), p->leaf, strlen(p->leaf));
		t0 = now();
		tlog_leaf_hash(lh, raw, sizeof(raw));
		if (tlog_verify_inclusion(lh, p->index, v.size, p->hash[0], p->n,
		        cp.root) != 0)
			abort();
		tv[i] = now() - t0;
	}
	for (i = 0; i < SAMPLES; i++) {
		uint64_t from = 1 + randombytes_uniform((uint32_t)(size - 1));

		t0 = now();
		if (kt_consistency(c, from, v.size, cons, &n) != 0)
			abort();
		tc[i] = now() - t0;
		chashes += n;
		/* The older root, as a client holds it from an earlier head. */
		if (kt_root_at(c, from, root1) != 0)
			abort();
		t0 = now();
		if (tlog_verify_consistency(
		        from, v.size, root1, cp.root, cons[0], n) != 0)
			abort();
		tcv[i] = now() - t0;
	}
	report("inclusion_proof_make", tp, SAMPLES);
	report("inclusion_proof_verify_c", tv, SAMPLES);
	report("consistency_proof_make", tc, SAMPLES);
	report("consistency_proof_verify_c", tcv, SAMPLES);
	printf("checkpoint_verify_c_us %.1f\n", tsig * 1e6);
	printf("inclusion_proof_hashes_avg %.1f\n", (double)hashes / SAMPLES);
	printf("consistency_proof_hashes_avg %.1f\n", (double)chashes / SAMPLES);
	printf("log_member_json_bytes_avg %.0f\n", (double)json_bytes / SAMPLES);
	snprintf(path, sizeof(path), "%s/proofs.json", dir);
	{
		char vk[TLOG_KEY_TEXT_MAX + 1];
		json_t *doc;

		tlog_verifier_format(&s->v, vk, sizeof(vk));
		doc = json_pack("{s:s,s:s,s:I,s:o}", "verifier", vk,
		    "checkpoint", v.checkpoint, "size", (json_int_t)v.size,
		    "sample", sample);
		json_dump_file(doc, path, JSON_COMPACT);
		json_decref(doc);
	}
	kt_view_release(&v);
	db_put(c);
	free(p);
	free(tp);
	free(tv);
	free(tc);
	free(tcv);
}

int
main(int argc, char **argv)
{
	struct tlog_signer s;
	struct config cfg;
	struct db *db;
	char err[256], path[512];
	unsigned char seed[32] = { 7 };
	uint64_t n = 1000000, i;
	double t0, t;
	double *single;

	if (argc < 2 || sodium_init() < 0 ||
	    (argc > 2 && num_parse_u64(argv[2], 2, 1u << 30, &n) == -1))
		return fputs("usage: bench DIR [N [postgres CONNINFO]]\n", stderr),
		       2;
	drop_st_env();
	if (config_load(&cfg, NULL, err, sizeof(err)) == -1)
		return fprintf(stderr, "configuration: %s\n", err), 1;
	if (argc > 4 && strcmp(argv[3], "postgres") == 0) {
		set(&cfg.database_driver, "postgres");
		set(&cfg.database_url, argv[4]);
	} else {
		snprintf(path, sizeof(path), "%s/st.db", argv[1]);
		set(&cfg.database_path, path);
	}
	cfg.database_pool = 2;
	log_set_level(LOG_WARN);
	if (db_open(&cfg, &db) == -1 || db_migrate(db) == -1 ||
	    tlog_signer_from_seed(&s, seed, "bench.example/kt") != 0 ||
	    kt_start(db, &s) != 0)
		return 1;
	printf("driver %s\nleaves %" PRIu64 "\n", cfg.database_driver, n);
	fflush(stdout);
	t0 = now();
	for (i = 0; i < n; i += BATCH)
		if (append_batch(db, &s, i, n - i < BATCH ? n - i : BATCH) !=
		    0)
			return fputs("append failed\n", stderr), 1;
	t = now() - t0;
	printf("fill_seconds %.1f\nfill_leaves_per_s %.0f\n", t, (double)n / t);
	fflush(stdout);
	/* One key change, one durable transaction, one signed head. */
	single = xcalloc(SINGLE, sizeof(double));
	t0 = now();
	for (i = 0; i < SINGLE; i++) {
		double a = now();

		if (append_batch(db, &s, n + i, 1) != 0)
			return 1;
		single[i] = now() - a;
	}
	t = now() - t0;
	printf("single_appends_per_s %.0f\n", SINGLE / t);
	report("single_append", single, SINGLE);
	free(single);
	proofs(db, &s, n, argv[1]);
	if (strcmp(cfg.database_driver, "postgres") == 0)
		printf("db_bytes %" PRId64 "\n", pg_size(db));
	db_close(db);
	/* SQLite: closing the last connection folds the WAL in. */
	if (strcmp(cfg.database_driver, "sqlite") == 0) {
		char wal[560];

		snprintf(wal, sizeof(wal), "%s-wal", path);
		printf("db_bytes %" PRId64 "\n", file_size(path) + file_size(wal));
	}
	config_release(&cfg);
	tlog_signer_wipe(&s);
	return 0;
}
