/*
 * The address book API (C1, S8): /api/v1/contacts with search, sort and
 * pagination, one contact by id (someone else's is 404), and the CSV
 * import and export.
 */
#include "util/common.h"

#include "api/api.h"
#include "api/book_api.h"
#include "api/errors.h"
#include "api/input.h"
#include "domain/contacts.h"
#include "domain/contacts_csv.h"
#include "domain/email.h"
#include "domain/user.h"
#include "http/request.h"
#include "http/server.h"
#include "util/buf.h"
#include "util/num.h"

#define LIST_DEFAULT 50
#define LIST_MAX 200
#define OFFSET_MAX 1000000
#define EXPORT_MAX (16u << 20)

static const struct field contact_fields[] = {
	{ "name", F_STR, 1, 1, 400 },
	{ "organisation", F_STR, 0, 0, 400 },
	{ "email", F_STR, 1, 1, EMAIL_MAX },
	{ "phone", F_STR, 0, 0, 40 },
};

void
api_book_env(struct request *req, struct book_env *env)
{
	env->cfg = req->app->cfg;
	env->db = req->app->db;
}

json_t *
api_contact_json(const struct contact *ct)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:o,s:I,s:I}", "id", ct->id, "name",
	    ct->name, "organisation", ct->organisation, "email", ct->email,
	    "phone", ct->phone[0] ? json_string(ct->phone) : json_null(),
	    "created_at", (json_int_t)ct->created_at, "updated_at",
	    (json_int_t)ct->updated_at);
}

int
api_page_args(struct request *req, int64_t max, int64_t *limit, int64_t *offset)
{
	const char *l = request_query(req, "limit");
	const char *o = request_query(req, "offset");
	uint64_t v;

	if (l != NULL) {
		if (num_parse_u64(l, 1, (uint64_t)max, &v) == -1) {
			reply_error(
			    req, 400, "bad_field", "limit: out of range");
			return -1;
		}
		*limit = (int64_t)v;
	}
	if (o != NULL) {
		if (num_parse_u64(o, 0, OFFSET_MAX, &v) == -1) {
			reply_error(
			    req, 400, "bad_field", "offset: out of range");
			return -1;
		}
		*offset = (int64_t)v;
	}
	return 0;
}

static void
add_contact(const struct contact *ct, void *arg)
{
	json_array_append_new(arg, api_contact_json(ct));
}

static int
sort_args(struct request *req, struct contact_query *q)
{
	const char *s = request_query(req, "sort");
	const char *o = request_query(req, "order");

	q->sort = CONTACT_BY_NAME;
	if (s != NULL && strcmp(s, "organisation") == 0)
		q->sort = CONTACT_BY_ORG;
	else if (s != NULL && strcmp(s, "email") == 0)
		q->sort = CONTACT_BY_EMAIL;
	else if (s != NULL && strcmp(s, "name") != 0) {
		reply_error(
		    req, 400, "bad_field", "sort: name, organisation or email");
		return -1;
	}
	q->desc = o != NULL && strcmp(o, "desc") == 0;
	if (o != NULL && !q->desc && strcmp(o, "asc") != 0) {
		reply_error(req, 400, "bad_field", "order: asc or desc");
		return -1;
	}
	return 0;
}

void
api_contacts_list(struct request *req)
{
	struct contact_query q = { 0 };
	struct st_result r;
	struct book_env env;
	int64_t total = 0;
	json_t *list;

	q.q = request_query(req, "q") ? request_query(req, "q") : "";
	q.limit = LIST_DEFAULT;
	if (sort_args(req, &q) == -1 ||
	    api_page_args(req, LIST_MAX, &q.limit, &q.offset) == -1)
		return;
	api_book_env(req, &env);
	list = json_array();
	r = contacts_list(&env, req->user->id, &q, add_contact, list, &total);
	if (r.st != ST_OK) {
		json_decref(list);
		api_error(req, r);
		return;
	}
	reply_json(req, 200,
	    json_pack("{s:o,s:I,s:I,s:I}", "contacts", list, "total",
	        (json_int_t)total, "limit", (json_int_t)q.limit, "offset",
	        (json_int_t)q.offset));
}

/* A duplicate address: 409 naming the contact that has it. */
static void
reply_result(struct request *req, struct st_result r, const char *existing,
    unsigned status, const struct contact *ct)
{
	json_t *err;

	if (r.st == ST_OK) {
		reply_json(req, status, api_contact_json(ct));
		return;
	}
	if (r.st != ST_CONFLICT || existing[0] == '\0') {
		api_error(req, r);
		return;
	}
	err = json_pack("{s:s,s:s,s:s}", "code", r.code, "message", r.why,
	    "contact_id", existing);
	reply_json(req, 409, json_pack("{s:o}", "error", err));
}

static void
save(struct request *req, const char *id)
{
	char existing[RAND_ID_LEN + 1] = "";
	struct contact_in in;
	struct st_result r;
	struct book_env env;
	struct contact ct;
	json_t *doc;

	if ((doc = request_json(req)) == NULL)
		return;
	if (input_check(
	        req, doc, contact_fields, ST_ARRAY_LEN(contact_fields)) == 0) {
		in.name = input_str(doc, "name");
		in.organisation = input_str(doc, "organisation");
		in.email = input_str(doc, "email");
		in.phone = input_str(doc, "phone");
		api_book_env(req, &env);
		r = id == NULL ?
		    contacts_create(&env, req->user->id, &in, &ct, existing) :
		    contacts_update(
		        &env, req->user->id, id, &in, &ct, existing);
		reply_result(req, r, existing, id == NULL ? 201 : 200, &ct);
		if (r.st == ST_OK)
			contact_release(&ct);
	}
	json_decref(doc);
}

void
api_contact_create(struct request *req)
{
	save(req, NULL);
}

void
api_contact_put(struct request *req)
{
	save(req, req->params[0]);
}

void
api_contact_get(struct request *req)
{
	struct st_result r;
	struct book_env env;
	struct contact ct;

	api_book_env(req, &env);
	r = contacts_get(&env, req->user->id, req->params[0], &ct);
	if (r.st != ST_OK) {
		api_error(req, r);
		return;
	}
	reply_json(req, 200, api_contact_json(&ct));
	contact_release(&ct);
}

void
api_contact_delete(struct request *req)
{
	struct st_result r;
	struct book_env env;

	api_book_env(req, &env);
	r = contacts_delete(&env, req->user->id, req->params[0]);
	if (r.st == ST_OK)
		reply_empty(req, 204);
	else
		api_error(req, r);
}

static json_t *
import_errors(const struct import_report *rep)
{
	json_t *lines = json_array();
	size_t i, n;

	n = rep->nerrors < CONTACTS_IMPORT_ERRORS ? rep->nerrors :
	                                            CONTACTS_IMPORT_ERRORS;
	for (i = 0; i < n; i++)
		json_array_append_new(lines,
		    json_pack("{s:I,s:s,s:s,s:s}", "line",
		        (json_int_t)rep->errors[i].line, "field",
		        rep->errors[i].field, "code", rep->errors[i].code,
		        "message", rep->errors[i].why));
	return lines;
}

void
api_contacts_import(struct request *req)
{
	struct import_report *rep = xcalloc(1, sizeof(*rep));
	struct st_result r;
	struct book_env env;
	json_t *err;

	api_book_env(req, &env);
	r = contacts_import(
	    &env, req->user->id, buf_str(&req->body), req->body.len, rep);
	if (r.st == ST_OK)
		reply_json(req, 200,
		    json_pack("{s:I,s:I,s:I}", "imported",
		        (json_int_t)rep->rows, "created",
		        (json_int_t)rep->created, "updated",
		        (json_int_t)rep->updated));
	else if (r.st == ST_INVALID) {
		err = json_pack("{s:s,s:s,s:I,s:o}", "code", r.code, "message",
		    r.why, "bad_rows", (json_int_t)rep->nerrors, "lines",
		    import_errors(rep));
		reply_json(req, 400, json_pack("{s:o}", "error", err));
	} else
		api_error(req, r);
	free(rep);
}

void
api_contacts_export(struct request *req)
{
	struct st_result r;
	struct book_env env;
	struct buf b;

	buf_init(&b, EXPORT_MAX);
	api_book_env(req, &env);
	r = contacts_export(&env, req->user->id, &b);
	if (r.st == ST_OK) {
		reply_bytes(
		    req, 200, "text/csv; charset=utf-8", buf_str(&b), b.len);
		reply_header(req, "Content-Disposition",
		    "attachment; filename=\"adresboek.csv\"");
	} else
		api_error(req, r);
	buf_release(&b);
}
