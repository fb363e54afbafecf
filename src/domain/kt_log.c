/* The log member's proof; see kt_log.h. */
#include "util/common.h"

#include "domain/kt_log.h"
#include "domain/kt_reader.h"
#include "util/log.h"

/*
 * The proof through a reader (kt_reader.h, the one way the log is read):
 * on success the reader's head moves into out, so it outlives the reader.
 */
static void
read_proof(struct kt_reader *r, const char *email, const char *x25519_pk,
    const char *ed25519_pk, struct kt_log *out)
{
	int found;

	memset(out, 0, sizeof(*out));
	if (email == NULL)
		return;
	if (kt_reader_head(r) == NULL) {
		log_error("cannot read the transparency log's head", NULL);
		return;
	}
	out->p = xcalloc(1, sizeof(*out->p));
	found = kt_reader_key(r, email, x25519_pk, ed25519_pk, out->p);
	if (found == 1) {
		out->found = 1;
		kt_reader_take_head(r, &out->v);
		return;
	}
	if (found == -1)
		log_error("cannot make an inclusion proof", NULL);
	free(out->p);
	out->p = NULL;
}

void
kt_log_read(struct db_conn *c, const char *email, const char *x25519_pk,
    const char *ed25519_pk, struct kt_log *out)
{
	struct kt_reader r;

	memset(out, 0, sizeof(*out));
	if (x25519_pk == NULL && ed25519_pk == NULL)
		return;
	kt_reader_on(c, &r);
	read_proof(&r, email, x25519_pk, ed25519_pk, out);
	kt_reader_close(&r);
}

void
kt_log_newest(struct db_conn *c, const char *email, struct kt_log *out)
{
	struct kt_reader r;

	kt_reader_on(c, &r);
	read_proof(&r, email, NULL, NULL, out);
	kt_reader_close(&r);
}

void
kt_log_get(struct db *db, const char *email, const char *x25519_pk,
    const char *ed25519_pk, struct kt_log *out)
{
	struct kt_reader r;

	memset(out, 0, sizeof(*out));
	if (x25519_pk == NULL && ed25519_pk == NULL)
		return;
	kt_reader_open(db, &r);
	read_proof(&r, email, x25519_pk, ed25519_pk, out);
	kt_reader_close(&r);
}

void
kt_log_release(struct kt_log *l)
{
	free(l->p);
	kt_view_release(&l->v);
	memset(l, 0, sizeof(*l));
}
