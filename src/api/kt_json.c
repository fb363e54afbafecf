/* The "log" member of directory answers; see kt_json.h. */
#include "util/common.h"

#include "api/kt_json.h"
#include "domain/kt_log.h"
#include "domain/kt_reader.h"
#include "util/log.h"
#include "util/rand.h"

json_t *
api_kt_proof_json(const struct kt_view *v, const struct kt_proof *p)
{
	json_t *proof = json_array();
	char h[KT_DB_HASH_LEN + 1];
	size_t i;

	for (i = 0; i < p->n; i++) {
		b64u_encode(h, sizeof(h), p->hash[i], TLOG_HASH_LEN);
		json_array_append_new(proof, json_string(h));
	}
	return json_pack("{s:I,s:s,s:o,s:s}", "index", (json_int_t)p->index,
	    "leaf", p->leaf, "proof", proof, "checkpoint", v->checkpoint);
}

static json_t *
log_json(struct kt_reader *r, const char *email, const char *x25519_pk,
    const char *ed25519_pk)
{
	const struct kt_view *v;
	struct kt_proof *p;
	json_t *out = NULL;
	int found;

	if (email == NULL)
		return json_null();
	if ((v = kt_reader_head(r)) == NULL) {
		log_error("cannot read the transparency log's head", NULL);
		return json_null();
	}
	p = xcalloc(1, sizeof(*p));
	found = kt_reader_key(r, email, x25519_pk, ed25519_pk, p);
	if (found == 1)
		out = api_kt_proof_json(v, p);
	else if (found == -1)
		log_error("cannot make an inclusion proof", NULL);
	free(p);
	return out != NULL ? out : json_null();
}

json_t *
api_kt_log_in(struct kt_reader *r, const char *email, const char *x25519_pk,
    const char *ed25519_pk)
{
	if (x25519_pk == NULL && ed25519_pk == NULL)
		return json_null();
	return log_json(r, email, x25519_pk, ed25519_pk);
}

json_t *
api_kt_newest_in(struct kt_reader *r, const char *email)
{
	return log_json(r, email, NULL, NULL);
}

json_t *
api_kt_log_json(const struct kt_log *l)
{
	return l->found ? api_kt_proof_json(&l->v, l->p) : json_null();
}
