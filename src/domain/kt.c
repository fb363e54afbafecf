/* The key-transparency log: appends and the signed head; see kt.h. */
#include "util/common.h"

#include <jansson.h>

#include "db/users_db.h"
#include "domain/kt.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/rand.h"

/* A b64u hash from the database into 32 bytes; 0 or -1. */
static int
hash_in(unsigned char out[TLOG_HASH_LEN], const char *b64)
{
	return b64u_decode(out, TLOG_HASH_LEN, b64, strlen(b64)) ==
	        TLOG_HASH_LEN ?
	    0 :
	    -1;
}

static void
hash_out(char out[KT_DB_HASH_LEN + 1], const unsigned char h[TLOG_HASH_LEN])
{
	b64u_encode(out, KT_DB_HASH_LEN + 1, h, TLOG_HASH_LEN);
}

/*
 * The frontier of a tree of size leaves (the hashes of the nodes of
 * [0, size)) into front/nfront, and the root they fold to. 0 or -1.
 */
static int
load_frontier(struct db_conn *c, uint64_t size,
    unsigned char (*front)[TLOG_HASH_LEN], size_t *nfront,
    unsigned char root[TLOG_HASH_LEN])
{
	struct tlog_node nd[TLOG_MAX_NODES];
	int64_t ids[TLOG_MAX_NODES];
	char got[TLOG_MAX_NODES][KT_DB_HASH_LEN + 1];
	int n, i;

	*nfront = 0;
	if (size == 0) {
		tlog_empty_root(root);
		return 0;
	}
	if ((n = tlog_range_nodes((struct tlog_range){ 0, size }, nd)) < 1)
		return -1;
	for (i = 0; i < n; i++)
		ids[i] = tlog_node_id(nd[i]);
	if (kt_db_nodes(c, ids, (size_t)n, got) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (hash_in(front[i], got[i]) == -1)
			return -1;
	*nfront = (size_t)n;
	tlog_fold(root, front[0], *nfront);
	return 0;
}

/*
 * Checks the head row: signed by log, its size and root those of the
 * checkpoint, and the stored tree folds to that root. Leaves the frontier
 * in front. 0, or -1 (logged).
 */
static int
head_check(struct db_conn *c, const struct tlog_signer *log,
    const struct kt_head_row *h, unsigned char (*front)[TLOG_HASH_LEN],
    size_t *nfront)
{
	struct tlog_checkpoint cp;
	unsigned char root[TLOG_HASH_LEN];
	char b64[KT_DB_HASH_LEN + 1];
	enum tlog_note_status st;

	st = tlog_checkpoint_open(
	    &log->v, h->checkpoint, strlen(h->checkpoint), &cp);
	if (st != TLOG_NOTE_OK) {
		log_error("the transparency log's head is not signed by this "
		          "log key",
		    "{s:s}", "status", tlog_note_status_name(st));
		return -1;
	}
	hash_out(b64, cp.root);
	if ((int64_t)cp.size != h->size || strcmp(b64, h->root) != 0 ||
	    load_frontier(c, cp.size, front, nfront, root) == -1 ||
	    memcmp(root, cp.root, TLOG_HASH_LEN) != 0) {
		log_error("the transparency log's stored tree does not match "
		          "its signed head",
		    "{s:I}", "size", (json_int_t)cp.size);
		return -1;
	}
	return 0;
}

/* Signs the head for size and root into a new checkpoint (caller frees). */
static char *
sign_head(const struct tlog_signer *log, uint64_t size,
    const unsigned char root[TLOG_HASH_LEN])
{
	struct tlog_checkpoint cp = { .size = size };
	char note[TLOG_NOTE_MAX];

	snprintf(cp.origin, sizeof(cp.origin), "%s", log->v.name);
	memcpy(cp.root, root, TLOG_HASH_LEN);
	if (tlog_checkpoint_sign(log, &cp, note, sizeof(note)) < 0) {
		log_error("cannot sign the transparency log's head", NULL);
		return NULL;
	}
	return xstrdup(note);
}

/* The first head, of the empty log, inside the caller's transaction. */
static int
head_create(struct db_conn *c, const struct tlog_signer *log)
{
	unsigned char root[TLOG_HASH_LEN];
	char b64[KT_DB_HASH_LEN + 1], *note;
	enum db_status st;

	tlog_empty_root(root);
	hash_out(b64, root);
	if ((note = sign_head(log, 0, root)) == NULL)
		return -1;
	st = kt_db_head_insert(c, b64, note, clock_now());
	free(note);
	return st == DB_OK ? 0 : -1;
}

/* The newest epoch of addr (0: none). */
static int
newest_epoch_fn(int64_t idx, const char *leaf, void *arg)
{
	unsigned char raw[TLOG_LEAF_LEN];
	struct tlog_leaf l;
	int64_t *epoch = arg;

	(void)idx;
	if (b64u_decode(raw, sizeof(raw), leaf, strlen(leaf)) !=
	        TLOG_LEAF_LEN ||
	    tlog_leaf_decode(&l, raw, sizeof(raw)) == -1)
		*epoch = -1;
	else
		*epoch = (int64_t)l.epoch;
	return 1;
}

/* Appends one leaf at index size; the frontier moves along. */
static int
append_one(struct db_conn *c, const struct kt_entry *e, uint64_t size,
    unsigned char (*front)[TLOG_HASH_LEN], size_t *nfront, int64_t now)
{
	unsigned char raw[TLOG_LEAF_LEN], lh[TLOG_HASH_LEN];
	unsigned char made_hash[TLOG_MAX_NODES][TLOG_HASH_LEN];
	struct tlog_node made[TLOG_MAX_NODES];
	char addr[KT_DB_HASH_LEN + 1], leaf[KT_DB_LEAF_LEN + 1],
	    h[KT_DB_HASH_LEN + 1];
	struct tlog_leaf l = { .event = e->ev, .time = (uint64_t)now };
	int64_t epoch = 0;
	int n, i;

	tlog_address_hash(l.addr, e->email);
	tlog_key_hash(l.x25519, e->x25519);
	tlog_key_hash(l.ed25519, e->ed25519);
	hash_out(addr, l.addr);
	if (kt_db_leaves_of(c, addr, INT64_MAX, 1, newest_epoch_fn, &epoch) ==
	        -1 ||
	    epoch < 0)
		return -1;
	l.epoch = (uint64_t)epoch + 1;
	tlog_leaf_encode(raw, &l);
	b64u_encode(leaf, sizeof(leaf), raw, sizeof(raw));
	tlog_leaf_hash(lh, raw, sizeof(raw));
	if ((n = tlog_append(size, front, nfront, lh, made, made_hash)) < 1 ||
	    kt_db_leaf_add(c, (int64_t)size, addr, leaf, now) != DB_OK)
		return -1;
	for (i = 0; i < n; i++) {
		hash_out(h, made_hash[i]);
		if (kt_db_node_add(c, tlog_node_id(made[i]), h) != DB_OK)
			return -1;
	}
	return 0;
}

int
kt_append(struct db_conn *c, const struct tlog_signer *log,
    const struct kt_entry *e, size_t n, int64_t now)
{
	unsigned char front[TLOG_MAX_NODES][TLOG_HASH_LEN], root[TLOG_HASH_LEN];
	char b64[KT_DB_HASH_LEN + 1], *note = NULL;
	struct kt_head_row h = { 0 };
	size_t nfront = 0, i;
	int found, rc = -1;

	if (kt_db_lock(c) != DB_OK)
		return -1;
	if ((found = kt_db_head(c, &h)) == 0) {
		if (head_create(c, log) == -1)
			return -1;
		found = kt_db_head(c, &h);
	}
	if (found != 1 || head_check(c, log, &h, front, &nfront) == -1)
		goto out;
	if ((uint64_t)h.size + n > TLOG_MAX_SIZE)
		goto out;
	for (i = 0; i < n; i++)
		if (append_one(c, &e[i], (uint64_t)h.size + i, front, &nfront,
		        now) == -1) {
			log_error("cannot append to the transparency log",
			    "{s:I}", "index",
			    (json_int_t)(h.size + (int64_t)i));
			goto out;
		}
	tlog_fold(root, front[0], nfront);
	hash_out(b64, root);
	if ((note = sign_head(log, (uint64_t)h.size + n, root)) == NULL ||
	    kt_db_head_move(c, h.size, h.size + (int64_t)n, b64, note, now) !=
	        DB_OK)
		goto out;
	rc = 0;
out:
	free(note);
	kt_head_row_release(&h);
	return rc;
}

int
kt_publish(struct db_conn *c, const struct tlog_signer *log, const char *email,
    enum tlog_event ev, const char *x25519_pk, const char *ed25519_pk)
{
	struct kt_entry e = { .email = email, .ev = ev };

	if (x25519_pk == NULL || ed25519_pk == NULL ||
	    b64u_decode(e.x25519, 32, x25519_pk, strlen(x25519_pk)) != 32 ||
	    b64u_decode(e.ed25519, 32, ed25519_pk, strlen(ed25519_pk)) != 32) {
		log_error("key for the transparency log is not 32 bytes", NULL);
		return -1;
	}
	return kt_append(c, log, &e, 1, clock_now());
}

int
kt_publish_user(struct db_conn *c, const struct tlog_signer *log,
    const char *uid, enum tlog_event ev)
{
	struct user u;
	int rc;

	if (log == NULL) {
		log_error(
		    "a key change needs the transparency log's key", NULL);
		return -1;
	}
	if (users_by_id(c, uid, &u) != 1)
		return -1;
	rc = kt_publish(
	    c, log, u.email, ev, u.keys.x25519_pk, u.keys.ed25519_pk);
	user_release(&u);
	return rc;
}

/* The keys that were there before the log: collected, then appended. */
struct existing {
	struct kt_entry *e;
	size_t n, cap;
};

static int
existing_fn(
    const char *email, const char *x25519_pk, const char *ed25519_pk, void *arg)
{
	struct existing *x = arg;
	struct kt_entry *e;

	if (email == NULL || x25519_pk == NULL || ed25519_pk == NULL)
		return -1;
	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 64;
		x->e = xreallocarray(x->e, x->cap, sizeof(*x->e));
	}
	e = &x->e[x->n];
	memset(e, 0, sizeof(*e));
	e->email = xstrdup(email);
	e->ev = TLOG_EV_EXISTING;
	if (b64u_decode(e->x25519, 32, x25519_pk, strlen(x25519_pk)) != 32 ||
	    b64u_decode(e->ed25519, 32, ed25519_pk, strlen(ed25519_pk)) != 32) {
		free((char *)(uintptr_t)e->email);
		return -1;
	}
	x->n++;
	return 0;
}

/* In a transaction: the first head, its check, the keys from before. */
static int
start_tx(struct db_conn *c, const struct tlog_signer *log)
{
	unsigned char front[TLOG_MAX_NODES][TLOG_HASH_LEN];
	struct kt_head_row h = { 0 };
	struct existing x = { 0 };
	size_t nfront, i;
	int found, rc = -1;

	if (kt_db_lock(c) != DB_OK)
		return -1;
	if ((found = kt_db_head(c, &h)) == 0) {
		if (head_create(c, log) == -1)
			return -1;
		found = kt_db_head(c, &h);
	}
	if (found != 1 || head_check(c, log, &h, front, &nfront) == -1)
		goto out;
	if (h.size == 0 && kt_db_existing_keys(c, existing_fn, &x) == -1)
		goto out;
	if (x.n > 0) {
		log_info("logging the keys that were there before the "
		         "transparency log",
		    "{s:I}", "keys", (json_int_t)x.n);
		if (kt_append(c, log, x.e, x.n, clock_now()) == -1)
			goto out;
	}
	rc = 0;
out:
	for (i = 0; i < x.n; i++)
		free((char *)(uintptr_t)x.e[i].email);
	free(x.e);
	kt_head_row_release(&h);
	return rc;
}

int
kt_start(struct db *db, const struct tlog_signer *log)
{
	struct db_conn *c = db_get(db);
	int rc = -1;

	if (db_begin(c) == DB_OK) {
		rc = start_tx(c, log);
		if (rc == 0 && db_commit(c) != DB_OK)
			rc = -1;
		if (rc == -1)
			db_rollback(c);
	}
	db_put(c);
	return rc;
}
