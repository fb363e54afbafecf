/*
 * The key-transparency log on a real database (domain/kt.c, db/kt_db.c):
 * appends, proofs against the signed head, the checks that refuse a head
 * the log key did not sign, the keys from before the log, and appends
 * from several threads at once. On SQLite and, with ST_TEST_PG, on
 * PostgreSQL.
 */
#include "unit.h"

#include <pthread.h>
#include <sodium.h>

#include "domain/kt.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/rand.h"

#include "dbfix.h"

static struct tlog_signer signer;

static void
key_of(char out[44], unsigned char seed)
{
	unsigned char pk[32];

	memset(pk, seed, sizeof(pk));
	b64u_encode(out, 44, pk, sizeof(pk));
}

/* One publication in a transaction of its own, as a key change makes. */
static int
publish(struct db *db, const char *email, unsigned char seed)
{
	struct db_conn *c = db_get(db);
	char x[44], ed[44];
	int rc = -1;

	key_of(x, seed);
	key_of(ed, (unsigned char)(seed + 100));
	if (db_begin(c) == DB_OK) {
		rc = kt_publish(c, &signer, email, TLOG_EV_ACCOUNT, x, ed);
		if (rc == 0 && db_commit(c) != DB_OK)
			rc = -1;
		if (rc == -1)
			db_rollback(c);
	}
	db_put(c);
	return rc;
}

struct leafset {
	unsigned char (*h)[32];
	size_t n;
	uint64_t epochs[64]; /* per address number, the last epoch seen */
	int bad;
};

static int
collect_fn(int64_t idx, const char *leaf, void *arg)
{
	struct leafset *ls = arg;
	unsigned char raw[TLOG_LEAF_LEN];
	struct tlog_leaf l;

	if ((size_t)idx != ls->n ||
	    b64u_decode(raw, sizeof(raw), leaf, strlen(leaf)) !=
	        TLOG_LEAF_LEN ||
	    tlog_leaf_decode(&l, raw, sizeof(raw)) == -1)
		ls->bad = 1;
	else
		tlog_leaf_hash(ls->h[ls->n], raw, sizeof(raw));
	ls->n++;
	return 0;
}

/* The root of the first n leaf hashes, from the frontier. */
static void
root_of(unsigned char out[32], unsigned char (*h)[32], size_t n)
{
	unsigned char front[TLOG_MAX_NODES][32], made[TLOG_MAX_NODES][32];
	struct tlog_node m[TLOG_MAX_NODES];
	size_t nf = 0, i;

	if (n == 0) {
		tlog_empty_root(out);
		return;
	}
	for (i = 0; i < n; i++)
		tlog_append(i, front, &nf, h[i], m, made);
	tlog_fold(out, front[0], nf);
}

/* The head verifies, and its root is that of every leaf in the table. */
static void
check_whole_log(struct db *db, uint64_t want_size)
{
	struct db_conn *c = db_get(db);
	struct tlog_checkpoint cp;
	struct kt_view v;
	struct leafset ls = { 0 };
	unsigned char root[32];

	REQUIRE(kt_view_get(c, &v) == 0);
	CHECK(v.size == want_size);
	REQUIRE(tlog_checkpoint_open(&signer.v, v.checkpoint,
	            strlen(v.checkpoint), &cp) == TLOG_NOTE_OK);
	CHECK(cp.size == want_size);
	ls.h = xcalloc(want_size + 1, 32);
	CHECK(kt_leaves(c, 0, want_size + 5, collect_fn, &ls) == 0);
	CHECK(ls.n == want_size && !ls.bad);
	root_of(root, ls.h, ls.n);
	CHECK(memcmp(root, cp.root, 32) == 0);
	free(ls.h);
	kt_view_release(&v);
	db_put(c);
}

static void
appends_body(struct dbfix *f, const char *driver)
{
	struct db_conn *c;
	struct kt_view v;
	struct kt_proof p;
	struct tlog_checkpoint cp, old;
	unsigned char raw[TLOG_LEAF_LEN], lh[32], cons[TLOG_MAX_PROOF][32];
	struct tlog_leaf l;
	char email[64], x[44], ed[44], *old_note;
	size_t n, i;

	(void)driver;
	REQUIRE(kt_start(f->db, &signer) == 0);
	check_whole_log(f->db, 0);
	c = db_get(f->db);
	REQUIRE(kt_view_get(c, &v) == 0);
	old_note = xstrdup(v.checkpoint);
	REQUIRE(tlog_checkpoint_open(&signer.v, old_note, strlen(old_note),
	            &old) == TLOG_NOTE_OK);
	kt_view_release(&v);
	db_put(c);
	for (i = 0; i < 37; i++) {
		snprintf(email, sizeof(email), "u%zu@minbzk.nl", i % 5);
		REQUIRE(publish(f->db, email, (unsigned char)i) == 0);
	}
	check_whole_log(f->db, 37);
	c = db_get(f->db);
	REQUIRE(kt_view_get(c, &v) == 0);
	REQUIRE(tlog_checkpoint_open(&signer.v, v.checkpoint,
	            strlen(v.checkpoint), &cp) == TLOG_NOTE_OK);
	/* u2's newest keys (i = 32) are leaf 32, epoch 7, with a proof. */
	key_of(x, 32);
	key_of(ed, 132);
	REQUIRE(kt_key_proof(c, &v, "u2@minbzk.nl", x, ed, &p) == 1);
	CHECK(p.index == 32);
	REQUIRE(b64u_decode(raw, sizeof(raw), p.leaf, strlen(p.leaf)) ==
	    TLOG_LEAF_LEN);
	REQUIRE(tlog_leaf_decode(&l, raw, sizeof(raw)) == 0);
	CHECK(l.epoch == 7 && l.event == TLOG_EV_ACCOUNT);
	tlog_leaf_hash(lh, raw, sizeof(raw));
	CHECK(tlog_verify_inclusion(
	          lh, p.index, v.size, p.hash[0], p.n, cp.root) == 0);
	/* An older key of u2 has its own, older leaf; a key that was never
	 * published has none, nor has another address's. */
	key_of(x, 7);
	CHECK(kt_key_proof(c, &v, "u2@minbzk.nl", x, NULL, &p) == 1 &&
	    p.index == 7);
	key_of(x, 99);
	CHECK(kt_key_proof(c, &v, "u2@minbzk.nl", x, NULL, &p) == 0);
	key_of(x, 32);
	CHECK(kt_key_proof(c, &v, "u3@minbzk.nl", x, NULL, &p) == 0);
	/* Consistency from the empty head and from every earlier size. */
	for (n = 0; n <= 37; n++) {
		size_t np;

		REQUIRE(kt_consistency(c, n, 37, cons, &np) == 0);
		if (n == 0)
			CHECK(tlog_verify_consistency(
			          0, 37, old.root, cp.root, cons[0], np) == 0);
	}
	CHECK(kt_consistency(c, 5, 38, cons, &n) == -1);
	kt_view_release(&v);
	db_put(c);
	free(old_note);
}

TEST(kt_appends_prove_inclusion_and_consistency)
{
	each_driver(appends_body, 2);
}

static void
forged_body(struct dbfix *f, const char *driver)
{
	struct tlog_signer other;
	struct db_conn *c;

	(void)driver;
	REQUIRE(kt_start(f->db, &signer) == 0);
	REQUIRE(publish(f->db, "a@minbzk.nl", 1) == 0);
	REQUIRE(publish(f->db, "b@minbzk.nl", 2) == 0);
	REQUIRE(publish(f->db, "c@minbzk.nl", 3) == 0);
	/* Another log key: the head in the database is not its own. */
	REQUIRE(tlog_signer_generate(&other, signer.v.name) == 0);
	log_set_level(LOG_FATAL);
	CHECK(kt_start(f->db, &other) == -1);
	log_set_level(LOG_INFO);
	tlog_signer_wipe(&other);
	/* A database writer changes a stored node on the frontier: the
	 * next append refuses to sign over it. */
	c = db_get(f->db);
	REQUIRE(
	    db_exec(c,
	        "UPDATE kt_nodes SET hash = "
	        "'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' WHERE id = $1",
	        DB_PARAMS(DB_INT(tlog_node_id((struct tlog_node){ 1, 0 })))) ==
	    DB_OK);
	db_put(c);
	log_set_level(LOG_FATAL);
	CHECK(publish(f->db, "d@minbzk.nl", 4) == -1);
	CHECK(kt_start(f->db, &signer) == -1);
	log_set_level(LOG_INFO);
	/* Or moves the head to a size of its own (unsigned). */
	c = db_get(f->db);
	REQUIRE(
	    db_exec(c, "UPDATE kt_head SET size = 2", DB_NOPARAMS) == DB_OK);
	db_put(c);
	log_set_level(LOG_FATAL);
	CHECK(publish(f->db, "d@minbzk.nl", 4) == -1);
	log_set_level(LOG_INFO);
}

TEST(kt_refuses_a_head_it_did_not_sign_or_a_damaged_tree)
{
	each_driver(forged_body, 2);
}

static void
existing_body(struct dbfix *f, const char *driver)
{
	struct db_conn *c = db_get(f->db);
	struct kt_view v;
	struct kt_proof p;
	char x[44], ed[44];
	int i;

	(void)driver;
	for (i = 0; i < 3; i++) {
		char id[32], email[32];

		snprintf(id, sizeof(id), "user%d", i);
		snprintf(email, sizeof(email), "p%d@igj.nl", i);
		key_of(x, (unsigned char)(50 + i));
		key_of(ed, (unsigned char)(60 + i));
		REQUIRE(db_exec(c,
		            "INSERT INTO users (id, email, name, is_admin, "
		            "created_at, verified_at, x25519_pk, ed25519_pk, "
		            "key_id) VALUES ($1, $2, 'P', 0, $3, $4, $5, $6, "
		            "'kid')",
		            DB_PARAMS(DB_TEXT(id), DB_TEXT(email), DB_INT(i),
		                i == 2 ? DB_NULL : DB_INT(i), DB_TEXT(x),
		                DB_TEXT(ed))) == DB_OK);
	}
	db_put(c);
	REQUIRE(kt_start(f->db, &signer) == 0);
	/* Two verified accounts logged; the unverified one not. */
	check_whole_log(f->db, 2);
	REQUIRE(kt_start(f->db, &signer) == 0); /* only once */
	check_whole_log(f->db, 2);
	c = db_get(f->db);
	REQUIRE(kt_view_get(c, &v) == 0);
	key_of(x, 51);
	CHECK(kt_key_proof(c, &v, "p1@igj.nl", x, NULL, &p) == 1);
	key_of(x, 52);
	CHECK(kt_key_proof(c, &v, "p2@igj.nl", x, NULL, &p) == 0);
	kt_view_release(&v);
	db_put(c);
}

TEST(kt_logs_the_keys_from_before_the_log_once)
{
	each_driver(existing_body, 2);
}

struct worker {
	struct db *db;
	int id, failed;
};

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	char email[64];
	int i;

	for (i = 0; i < 15; i++) {
		snprintf(email, sizeof(email), "w%d@minbzk.nl", w->id);
		if (publish(w->db, email, (unsigned char)(w->id * 20 + i)) ==
		    -1)
			w->failed++;
	}
	return NULL;
}

static void
parallel_body(struct dbfix *f, const char *driver)
{
	struct worker w[4];
	pthread_t t[4];
	struct db_conn *c;
	struct kt_view v;
	struct kt_proof p;
	char x[44];
	int i;

	(void)driver;
	REQUIRE(kt_start(f->db, &signer) == 0);
	for (i = 0; i < 4; i++) {
		w[i] = (struct worker){ f->db, i, 0 };
		pthread_create(&t[i], NULL, worker_main, &w[i]);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		CHECK(w[i].failed == 0);
	}
	check_whole_log(f->db, 60);
	/* Each address's epochs went 1..15 in its own order. */
	c = db_get(f->db);
	REQUIRE(kt_view_get(c, &v) == 0);
	for (i = 0; i < 4; i++) {
		unsigned char raw[TLOG_LEAF_LEN];
		struct tlog_leaf l;
		char email[64];

		snprintf(email, sizeof(email), "w%d@minbzk.nl", i);
		key_of(x, (unsigned char)(i * 20 + 14));
		REQUIRE(kt_key_proof(c, &v, email, x, NULL, &p) == 1);
		b64u_decode(raw, sizeof(raw), p.leaf, strlen(p.leaf));
		REQUIRE(tlog_leaf_decode(&l, raw, sizeof(raw)) == 0);
		CHECK(l.epoch == 15);
	}
	kt_view_release(&v);
	db_put(c);
}

TEST(kt_appends_from_several_threads_are_serialised)
{
	each_driver(parallel_body, 4);
}

__attribute__((constructor)) static void
make_signer(void)
{
	if (sodium_init() < 0 ||
	    tlog_signer_generate(&signer, "unit.example/kt") == -1)
		abort();
}
