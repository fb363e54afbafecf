/* The log member's proof; see kt_log.h. */
#include "util/common.h"

#include "db/db.h"
#include "domain/kt_log.h"
#include "util/log.h"

static void
read_proof(struct db_conn *c, const char *email, const char *x25519_pk,
    const char *ed25519_pk, struct kt_log *out)
{
	int found;

	memset(out, 0, sizeof(*out));
	if (email == NULL)
		return;
	if (kt_view_get(c, &out->v) == -1) {
		log_error("cannot read the transparency log's head", NULL);
		return;
	}
	out->p = xcalloc(1, sizeof(*out->p));
	found = kt_key_proof(c, &out->v, email, x25519_pk, ed25519_pk, out->p);
	if (found == 1) {
		out->found = 1;
		return;
	}
	if (found == -1)
		log_error("cannot make an inclusion proof", NULL);
	kt_log_release(out);
}

void
kt_log_read(struct db_conn *c, const char *email, const char *x25519_pk,
    const char *ed25519_pk, struct kt_log *out)
{
	if (x25519_pk == NULL && ed25519_pk == NULL) {
		memset(out, 0, sizeof(*out));
		return;
	}
	read_proof(c, email, x25519_pk, ed25519_pk, out);
}

void
kt_log_newest(struct db_conn *c, const char *email, struct kt_log *out)
{
	read_proof(c, email, NULL, NULL, out);
}

void
kt_log_get(struct db *db, const char *email, const char *x25519_pk,
    const char *ed25519_pk, struct kt_log *out)
{
	struct db_conn *c;

	if (x25519_pk == NULL && ed25519_pk == NULL) {
		memset(out, 0, sizeof(*out));
		return;
	}
	c = db_get(db);
	read_proof(c, email, x25519_pk, ed25519_pk, out);
	db_put(c);
}

void
kt_log_release(struct kt_log *l)
{
	free(l->p);
	kt_view_release(&l->v);
	memset(l, 0, sizeof(*l));
}
