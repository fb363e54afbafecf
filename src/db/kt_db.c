/* SQL of the key-transparency log; see kt_db.h. */
#include "util/common.h"

#include "db/kt_db.h"

#define BATCH 16

void
kt_head_row_release(struct kt_head_row *h)
{
	free(h->checkpoint);
	h->checkpoint = NULL;
}

int
kt_db_head(struct db_conn *c, struct kt_head_row *h)
{
	struct db_stmt *s;
	int found;
	const char *root;

	s = db_query(c,
	    "SELECT size, root, checkpoint FROM kt_head WHERE id = 1",
	    DB_NOPARAMS);
	if ((found = db_first(s)) != 1)
		return found;
	root = db_text(s, 1);
	if (root == NULL || strlen(root) != KT_DB_HASH_LEN) {
		db_done(s);
		return -1;
	}
	h->size = db_int(s, 0);
	memcpy(h->root, root, KT_DB_HASH_LEN + 1);
	h->checkpoint = db_dup_text0(s, 2);
	db_done(s);
	return 1;
}

enum db_status
kt_db_lock(struct db_conn *c)
{
	return db_exec(
	    c, "UPDATE kt_head SET size = size WHERE id = 1", DB_NOPARAMS);
}

enum db_status
kt_db_head_insert(
    struct db_conn *c, const char *root, const char *checkpoint, int64_t now)
{
	return db_exec(c,
	    "INSERT INTO kt_head (id, size, root, checkpoint, updated_at) "
	    "VALUES (1, 0, $1, $2, $3)",
	    DB_PARAMS(DB_TEXT(root), DB_TEXT(checkpoint), DB_INT(now)));
}

enum db_status
kt_db_head_move(struct db_conn *c, int64_t old_size, int64_t size,
    const char *root, const char *checkpoint, int64_t now)
{
	enum db_status st;

	st = db_exec(c,
	    "UPDATE kt_head SET size = $2, root = $3, checkpoint = $4, "
	    "updated_at = $5 WHERE id = 1 AND size = $1",
	    DB_PARAMS(DB_INT(old_size), DB_INT(size), DB_TEXT(root),
	        DB_TEXT(checkpoint), DB_INT(now)));
	if (st == DB_OK && db_changes(c) != 1)
		return DB_CONSTRAINT;
	return st;
}

enum db_status
kt_db_leaf_add(struct db_conn *c, int64_t idx, const char *addr_hash,
    const char *leaf, int64_t now)
{
	return db_exec(c,
	    "INSERT INTO kt_leaves (idx, addr_hash, leaf, created_at) VALUES "
	    "($1, $2, $3, $4)",
	    DB_PARAMS(
	        DB_INT(idx), DB_TEXT(addr_hash), DB_TEXT(leaf), DB_INT(now)));
}

enum db_status
kt_db_node_add(struct db_conn *c, int64_t id, const char *hash)
{
	return db_exec(c, "INSERT INTO kt_nodes (id, hash) VALUES ($1, $2)",
	    DB_PARAMS(DB_INT(id), DB_TEXT(hash)));
}

/* One query for up to BATCH ids; unused places hold -1 (no node). */
static int
nodes_batch(struct db_conn *c, const int64_t *ids, size_t n, size_t all,
    const int64_t *every, char (*out)[KT_DB_HASH_LEN + 1])
{
	struct db_param p[BATCH];
	struct db_stmt *s;
	enum db_status r;
	size_t i;

	for (i = 0; i < BATCH; i++)
		p[i] = DB_INT(i < n ? ids[i] : -1);
	s = db_query(c,
	    "SELECT id, hash FROM kt_nodes WHERE id IN ($1, $2, $3, $4, $5, "
	    "$6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
	    p, BATCH);
	if (s == NULL)
		return -1;
	while ((r = db_next(s)) == DB_ROW) {
		int64_t id = db_int(s, 0);
		const char *h = db_text(s, 1);

		if (h == NULL || strlen(h) != KT_DB_HASH_LEN)
			continue; /* counts as missing below */
		for (i = 0; i < all; i++)
			if (every[i] == id)
				memcpy(out[i], h, KT_DB_HASH_LEN + 1);
	}
	db_done(s);
	return r == DB_DONE ? 0 : -1;
}

int
kt_db_nodes(struct db_conn *c, const int64_t *ids, size_t n,
    char (*out)[KT_DB_HASH_LEN + 1])
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i][0] = '\0';
	for (i = 0; i < n; i += BATCH)
		if (nodes_batch(c, ids + i, n - i < BATCH ? n - i : BATCH, n,
		        ids, out) == -1)
			return -1;
	for (i = 0; i < n; i++)
		if (out[i][0] == '\0')
			return -1;
	return 0;
}

int
kt_db_leaf(struct db_conn *c, int64_t idx, char out[KT_DB_LEAF_LEN + 1])
{
	struct db_stmt *s;
	enum db_status r;
	const char *t;
	int rc = -1;

	s = db_query(c, "SELECT leaf FROM kt_leaves WHERE idx = $1",
	    DB_PARAMS(DB_INT(idx)));
	if (s == NULL)
		return -1;
	if ((r = db_next(s)) == DB_ROW) {
		t = db_text(s, 0);
		if (t != NULL && strlen(t) <= KT_DB_LEAF_LEN) {
			memcpy(out, t, strlen(t) + 1);
			rc = 1;
		}
	} else if (r == DB_DONE)
		rc = 0;
	db_done(s);
	return rc;
}

static int
each_leaf(struct db_stmt *s, kt_db_leaf_fn fn, void *arg)
{
	enum db_status r = DB_DONE;
	int stop = 0;

	if (s == NULL)
		return -1;
	while (!stop && (r = db_next(s)) == DB_ROW) {
		const char *t = db_text(s, 1);

		stop = fn(db_int(s, 0), t != NULL ? t : "", arg);
	}
	db_done(s);
	return stop || r == DB_DONE ? 0 : -1;
}

int
kt_db_leaves_of(struct db_conn *c, const char *addr_hash, int64_t below,
    int64_t limit, kt_db_leaf_fn fn, void *arg)
{
	return each_leaf(
	    db_query(c,
	        "SELECT idx, leaf FROM kt_leaves WHERE "
	        "addr_hash = $1 AND idx < $2 ORDER BY idx DESC "
	        "LIMIT $3",
	        DB_PARAMS(DB_TEXT(addr_hash), DB_INT(below), DB_INT(limit))),
	    fn, arg);
}

int
kt_db_leaves_range(struct db_conn *c, int64_t start, int64_t count,
    kt_db_leaf_fn fn, void *arg)
{
	return each_leaf(db_query(c,
	                     "SELECT idx, leaf FROM kt_leaves WHERE idx >= $1 "
	                     "AND idx < $2 ORDER BY idx",
	                     DB_PARAMS(DB_INT(start), DB_INT(start + count))),
	    fn, arg);
}

int
kt_db_existing_keys(struct db_conn *c, kt_db_key_fn fn, void *arg)
{
	struct db_stmt *s;
	enum db_status r = DB_DONE;
	int stop = 0;

	s = db_query(c,
	    "SELECT email, x25519_pk, ed25519_pk, created_at, id FROM users "
	    "WHERE kind = 'person' AND verified_at IS NOT NULL AND "
	    "x25519_pk IS NOT NULL AND ed25519_pk IS NOT NULL "
	    "UNION ALL "
	    "SELECT u.email, k.x25519_pk, k.ed25519_pk, k.created_at, u.id "
	    "FROM mailbox_keys k JOIN users u ON u.id = k.mailbox_id "
	    "ORDER BY 4, 5",
	    DB_NOPARAMS);
	if (s == NULL)
		return -1;
	while (!stop && (r = db_next(s)) == DB_ROW)
		stop = fn(db_text(s, 0), db_text(s, 1), db_text(s, 2), arg);
	db_done(s);
	return stop < 0 ? -1 : stop || r == DB_DONE ? 0 : -1;
}
