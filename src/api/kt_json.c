/* The "log" member of directory answers; see kt_json.h. */
#include "util/common.h"

#include "api/kt_json.h"
#include "domain/kt_log.h"
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

json_t *
api_kt_log_json(const struct kt_log *l)
{
	return l->found ? api_kt_proof_json(&l->v, l->p) : json_null();
}

/* The member for l, which it releases. */
static json_t *
take(struct kt_log *l)
{
	json_t *j = api_kt_log_json(l);

	kt_log_release(l);
	return j;
}

json_t *
api_kt_log(struct db_conn *c, const char *email, const char *x25519_pk,
    const char *ed25519_pk)
{
	struct kt_log l;

	kt_log_read(c, email, x25519_pk, ed25519_pk, &l);
	return take(&l);
}

json_t *
api_kt_newest(struct db_conn *c, const char *email)
{
	struct kt_log l;

	kt_log_newest(c, email, &l);
	return take(&l);
}
