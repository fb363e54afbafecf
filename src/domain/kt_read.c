/* The key-transparency log: heads, proofs and leaves; see kt.h. */
#include "util/common.h"

#include "domain/kt.h"
#include "util/rand.h"

int
kt_view_get(struct db_conn *c, struct kt_view *v)
{
	struct kt_head_row h = { 0 };

	v->checkpoint = NULL;
	if (kt_db_head(c, &h) != 1)
		return -1;
	v->size = (uint64_t)h.size;
	v->checkpoint = h.checkpoint; /* moves */
	return 0;
}

void
kt_view_release(struct kt_view *v)
{
	free(v->checkpoint);
	v->checkpoint = NULL;
}

/*
 * MTH of each of nr ranges of the tree (all within its stored nodes) into
 * out: one batch of node look-ups for all of them. 0 or -1.
 */
static int
range_hashes(struct db_conn *c, const struct tlog_range *r, size_t nr,
    unsigned char (*out)[TLOG_HASH_LEN])
{
	struct tlog_node nd[TLOG_MAX_NODES];
	unsigned char(*h)[TLOG_HASH_LEN] = NULL;
	char(*got)[KT_DB_HASH_LEN + 1] = NULL;
	int64_t *ids = NULL;
	size_t *count = NULL, total = 0, i, j, k;
	int n, rc = -1;

	if (nr == 0)
		return 0;
	ids = xcalloc(nr * TLOG_MAX_NODES, sizeof(*ids));
	count = xcalloc(nr, sizeof(*count));
	for (i = 0; i < nr; i++) {
		if ((n = tlog_range_nodes(r[i], nd)) < 1)
			goto out;
		for (j = 0; j < (size_t)n; j++)
			ids[total++] = tlog_node_id(nd[j]);
		count[i] = (size_t)n;
	}
	got = xcalloc(total, sizeof(*got));
	h = xcalloc(total, sizeof(*h));
	if (kt_db_nodes(c, ids, total, got) == -1)
		goto out;
	for (k = 0; k < total; k++)
		if (b64u_decode(h[k], TLOG_HASH_LEN, got[k], strlen(got[k])) !=
		    TLOG_HASH_LEN)
			goto out;
	for (i = 0, k = 0; i < nr; k += count[i], i++)
		tlog_fold(out[i], h[k], count[i]);
	rc = 0;
out:
	free(ids);
	free(count);
	free(got);
	free(h);
	return rc;
}

static int
inclusion(struct db_conn *c, uint64_t index, uint64_t size,
    unsigned char (*out)[TLOG_HASH_LEN], size_t *n)
{
	struct tlog_range r[TLOG_MAX_PROOF];
	int nr = tlog_inclusion_ranges(index, size, r);

	if (nr < 0 || range_hashes(c, r, (size_t)nr, out) == -1)
		return -1;
	*n = (size_t)nr;
	return 0;
}

int
kt_consistency(struct db_conn *c, uint64_t size1, uint64_t size2,
    unsigned char (*out)[TLOG_HASH_LEN], size_t *n)
{
	struct tlog_range r[TLOG_MAX_PROOF];
	int nr = tlog_consistency_ranges(size1, size2, r);

	if (nr < 0 || range_hashes(c, r, (size_t)nr, out) == -1)
		return -1;
	*n = (size_t)nr;
	return 0;
}

int
kt_root_at(struct db_conn *c, uint64_t size, unsigned char out[TLOG_HASH_LEN])
{
	struct tlog_range r = { 0, size };

	if (size == 0) {
		tlog_empty_root(out);
		return 0;
	}
	return range_hashes(c, &r, 1, (unsigned char(*)[TLOG_HASH_LEN])out);
}

struct match {
	const unsigned char *x, *ed; /* key hashes to match, or NULL */
	struct kt_proof *out;
	int found;
};

static int
match_fn(int64_t idx, const char *leaf, void *arg)
{
	unsigned char raw[TLOG_LEAF_LEN];
	struct match *m = arg;
	struct tlog_leaf l;

	if (b64u_decode(raw, sizeof(raw), leaf, strlen(leaf)) !=
	        TLOG_LEAF_LEN ||
	    tlog_leaf_decode(&l, raw, sizeof(raw)) == -1)
		return 0; /* a damaged leaf never matches */
	if ((m->x != NULL && memcmp(m->x, l.x25519, 32) != 0) ||
	    (m->ed != NULL && memcmp(m->ed, l.ed25519, 32) != 0))
		return 0;
	m->out->index = (uint64_t)idx;
	snprintf(m->out->leaf, sizeof(m->out->leaf), "%s", leaf);
	m->found = 1;
	return 1;
}

/* SHA-256 of a b64u public key into out; NULL for a NULL key, or bad. */
static const unsigned char *
key_hash_of(const char *pk, unsigned char out[32], int *bad)
{
	unsigned char raw[32];

	if (pk == NULL)
		return NULL;
	if (b64u_decode(raw, sizeof(raw), pk, strlen(pk)) != 32) {
		*bad = 1;
		return NULL;
	}
	tlog_key_hash(out, raw);
	return out;
}

int
kt_key_proof(struct db_conn *c, const struct kt_view *v, const char *email,
    const char *x25519_pk, const char *ed25519_pk, struct kt_proof *out)
{
	unsigned char addr[32], xh[32], edh[32];
	char a64[KT_DB_HASH_LEN + 1];
	struct match m = { 0 };
	int bad = 0;

	m.x = key_hash_of(x25519_pk, xh, &bad);
	m.ed = key_hash_of(ed25519_pk, edh, &bad);
	if (bad || email == NULL)
		return 0;
	m.out = out;
	tlog_address_hash(addr, email);
	b64u_encode(a64, sizeof(a64), addr, sizeof(addr));
	/* An address has a handful of leaves; look at a bounded number. */
	if (kt_db_leaves_of(c, a64, (int64_t)v->size, 1000, match_fn, &m) == -1)
		return -1;
	if (!m.found)
		return 0;
	return inclusion(c, out->index, v->size, out->hash, &out->n) == 0 ? 1 :
	                                                                    -1;
}

struct history {
	struct db_conn *c;
	const struct kt_view *v;
	kt_proof_fn fn;
	void *arg;
	int failed;
};

static int
history_fn(int64_t idx, const char *leaf, void *arg)
{
	struct history *h = arg;
	struct kt_proof p;

	p.index = (uint64_t)idx;
	snprintf(p.leaf, sizeof(p.leaf), "%s", leaf);
	if (inclusion(h->c, p.index, h->v->size, p.hash, &p.n) == -1) {
		h->failed = 1;
		return 1;
	}
	return h->fn(&p, h->arg) == 0 ? 0 : 1;
}

int
kt_history(struct db_conn *c, const struct kt_view *v, const char *email,
    int64_t limit, kt_proof_fn fn, void *arg)
{
	struct history h = { c, v, fn, arg, 0 };
	unsigned char addr[32];
	char a64[KT_DB_HASH_LEN + 1];

	tlog_address_hash(addr, email);
	b64u_encode(a64, sizeof(a64), addr, sizeof(addr));
	if (kt_db_leaves_of(c, a64, (int64_t)v->size, limit, history_fn, &h) ==
	    -1)
		return -1;
	return h.failed ? -1 : 0;
}

int
kt_leaves(struct db_conn *c, uint64_t start, uint64_t count, kt_db_leaf_fn fn,
    void *arg)
{
	if (start > TLOG_MAX_SIZE || count > TLOG_MAX_SIZE)
		return -1;
	return kt_db_leaves_range(c, (int64_t)start, (int64_t)count, fn, arg);
}
