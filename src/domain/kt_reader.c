/* One answer's reads of the log; see kt_reader.h. */
#include "util/common.h"

#include "db/db.h"
#include "domain/directory.h"
#include "domain/kt_reader.h"

void
kt_reader_open(struct db *db, struct kt_reader *r)
{
	memset(r, 0, sizeof(*r));
	r->db = db;
	r->c = db_get(db);
}

void
kt_reader_on(struct db_conn *c, struct kt_reader *r)
{
	memset(r, 0, sizeof(*r));
	r->c = c;
}

void
kt_reader_close(struct kt_reader *r)
{
	if (r->head == 1)
		kt_view_release(&r->v);
	if (r->db != NULL && r->c != NULL)
		db_put(r->c);
	memset(r, 0, sizeof(*r));
}

const struct kt_view *
kt_reader_head(struct kt_reader *r)
{
	if (r->head == 0)
		r->head = kt_view_get(r->c, &r->v) == 0 ? 1 : -1;
	return r->head == 1 ? &r->v : NULL;
}

void
kt_reader_take_head(struct kt_reader *r, struct kt_view *v)
{
	*v = r->v;
	memset(&r->v, 0, sizeof(r->v));
	r->head = 0;
}

int
kt_reader_key(struct kt_reader *r, const char *email, const char *x25519_pk,
    const char *ed25519_pk, struct kt_proof *out)
{
	const struct kt_view *v = kt_reader_head(r);

	if (v == NULL)
		return -1;
	return kt_key_proof(r->c, v, email, x25519_pk, ed25519_pk, out);
}

int
kt_reader_history(struct kt_reader *r, const char *email, int64_t limit,
    kt_proof_fn fn, void *arg)
{
	const struct kt_view *v = kt_reader_head(r);

	if (v == NULL)
		return -1;
	return kt_history(r->c, v, email, limit, fn, arg);
}

int
kt_reader_consistency(struct kt_reader *r, uint64_t size1, uint64_t size2,
    unsigned char (*out)[TLOG_HASH_LEN], size_t *n)
{
	return kt_consistency(r->c, size1, size2, out, n);
}

int
kt_reader_leaves(struct kt_reader *r, uint64_t start, uint64_t count,
    kt_db_leaf_fn fn, void *arg)
{
	return kt_leaves(r->c, start, count, fn, arg);
}

int
kt_reader_directory(struct kt_reader *r, const char *email, struct user *u)
{
	return directory_lookup(r->c, email, u);
}
