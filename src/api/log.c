/*
 * The key-transparency log's own routes (docs/transparency.md, "API"):
 * the signed head and consistency proofs for anyone (they reveal sizes
 * and hashes only), the leaves and an address's history for signed-in
 * users (leaf hashes of guessable addresses would let outsiders test
 * who has an account).
 */
#include "util/common.h"

#include "api/api.h"
#include "api/errors.h"
#include "api/kt_json.h"
#include "domain/email.h"
#include "domain/kt_reader.h"
#include "http/request.h"
#include "http/server.h"
#include "util/num.h"
#include "util/rand.h"

#define LEAVES_MAX 1000
#define HISTORY_MAX 100

static const struct st_result unreadable = { ST_BUSY, "unavailable",
	"The log cannot be read", 0 };
static const struct st_result damaged = { ST_ERROR, "internal",
	"The log cannot be read", 0 };

void
api_log_checkpoint(struct request *req)
{
	const struct kt_view *v;
	struct kt_reader r;

	kt_reader_open(req->app->db, &r);
	if ((v = kt_reader_head(&r)) == NULL)
		api_error(req, unreadable);
	else
		reply_json(req, 200,
		    json_pack("{s:I,s:s}", "size", (json_int_t)v->size,
		        "checkpoint", v->checkpoint));
	kt_reader_close(&r);
}

/* A size argument up to max; -1 after answering 400. */
static int
size_arg(struct request *req, const char *name, uint64_t max, uint64_t *out)
{
	const char *s = request_query(req, name);
	char msg[96];

	if (s == NULL || num_parse_u64(s, 0, max, out) == -1) {
		snprintf(msg, sizeof(msg), "%s: a tree size up to %" PRIu64,
		    name, max);
		reply_error(req, 400, "bad_field", msg);
		return -1;
	}
	return 0;
}

void
api_log_consistency(struct request *req)
{
	unsigned char(*proof)[TLOG_HASH_LEN] = NULL;
	char h[KT_DB_HASH_LEN + 1];
	const struct kt_view *v;
	struct kt_reader r;
	uint64_t from, to;
	json_t *arr;
	size_t n, i;

	kt_reader_open(req->app->db, &r);
	if ((v = kt_reader_head(&r)) == NULL) {
		api_error(req, unreadable);
		goto out;
	}
	if (size_arg(req, "from", v->size, &from) == -1 ||
	    size_arg(req, "to", v->size, &to) == -1)
		goto out;
	if (from > to) {
		reply_error(req, 400, "bad_field", "from: above to");
		goto out;
	}
	proof = xcalloc(TLOG_MAX_PROOF, sizeof(*proof));
	if (kt_reader_consistency(&r, from, to, proof, &n) == -1) {
		api_error(req, damaged);
		goto out;
	}
	arr = json_array();
	for (i = 0; i < n; i++) {
		b64u_encode(h, sizeof(h), proof[i], TLOG_HASH_LEN);
		json_array_append_new(arr, json_string(h));
	}
	reply_json(req, 200,
	    json_pack("{s:I,s:I,s:o}", "from", (json_int_t)from, "to",
	        (json_int_t)to, "proof", arr));
out:
	free(proof);
	kt_reader_close(&r);
}

static int
add_leaf(int64_t idx, const char *leaf, void *arg)
{
	(void)idx;
	json_array_append_new(arg, json_string(leaf));
	return 0;
}

void
api_log_leaves(struct request *req)
{
	const struct kt_view *v;
	uint64_t start, count, have;
	struct kt_reader r;
	json_t *arr;

	kt_reader_open(req->app->db, &r);
	if ((v = kt_reader_head(&r)) == NULL) {
		api_error(req, unreadable);
		goto out;
	}
	if (size_arg(req, "start", v->size, &start) == -1)
		goto out;
	if (request_query(req, "count") == NULL)
		count = LEAVES_MAX;
	else if (size_arg(req, "count", LEAVES_MAX, &count) == -1)
		goto out;
	/* Only the leaves under the head: an append in progress is not
	 * signed yet. */
	have = v->size - start < count ? v->size - start : count;
	arr = json_array();
	if (have > 0 &&
	    kt_reader_leaves(&r, start, have, add_leaf, arr) == -1) {
		json_decref(arr);
		api_error(req, damaged);
		goto out;
	}
	reply_json(req, 200,
	    json_pack("{s:I,s:I,s:o}", "start", (json_int_t)start, "size",
	        (json_int_t)v->size, "leaves", arr));
out:
	kt_reader_close(&r);
}

struct hist {
	const struct kt_view *v;
	json_t *arr;
};

static int
add_entry(const struct kt_proof *p, void *arg)
{
	struct hist *h = arg;
	json_t *e = api_kt_proof_json(h->v, p);

	json_object_del(e, "checkpoint"); /* once, at the top */
	json_array_append_new(h->arr, e);
	return 0;
}

void
api_log_history(struct request *req)
{
	const char *in = request_query(req, "email"), *domain, *why;
	char email[EMAIL_MAX + 1];
	const struct kt_view *v;
	struct kt_reader r;
	struct hist h;

	if (in == NULL ||
	    email_normalise(in, email, sizeof(email), &domain, &why) == -1) {
		reply_error(req, 400, "bad_email", "email: not an address");
		return;
	}
	kt_reader_open(req->app->db, &r);
	if ((v = kt_reader_head(&r)) == NULL) {
		api_error(req, unreadable);
		goto out;
	}
	h.v = v;
	h.arr = json_array();
	if (kt_reader_history(&r, email, HISTORY_MAX, add_entry, &h) == -1) {
		json_decref(h.arr);
		api_error(req, damaged);
		goto out;
	}
	reply_json(req, 200,
	    json_pack("{s:s,s:s,s:o}", "email", email, "checkpoint",
	        v->checkpoint, "entries", h.arr));
out:
	kt_reader_close(&r);
}
