/*
 * The templates API (T1, S9): /api/v1/templates, one template by id
 * (someone else's is 404); at most one is the default.
 */
#include "util/common.h"

#include "api/api.h"
#include "api/book_api.h"
#include "api/errors.h"
#include "api/input.h"
#include "domain/templates.h"
#include "domain/user.h"
#include "http/request.h"

static json_t *
template_json(const struct template_row *t)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:I,s:I}", "id", t->id,
	    "name", t->name, "subject", t->subject, "reference", t->reference,
	    "text", t->body, "is_default", t->is_default, "created_at",
	    (json_int_t)t->created_at, "updated_at", (json_int_t)t->updated_at);
}

static void
add_template(const struct template_row *t, void *arg)
{
	json_array_append_new(arg, template_json(t));
}

void
api_templates_list(struct request *req)
{
	int64_t limit = TEMPLATES_MAX, offset = 0, total = 0;
	struct st_result r;
	struct book_env env;
	json_t *list;

	if (api_page_args(req, TEMPLATES_MAX, &limit, &offset) == -1)
		return;
	api_book_env(req, &env);
	list = json_array();
	r = templates_list(
	    &env, req->user->id, limit, offset, add_template, list, &total);
	if (r.st != ST_OK) {
		json_decref(list);
		api_error(req, r);
		return;
	}
	reply_json(req, 200,
	    json_pack("{s:o,s:I,s:I,s:I}", "templates", list, "total",
	        (json_int_t)total, "limit", (json_int_t)limit, "offset",
	        (json_int_t)offset));
}

static void
save(struct request *req, const char *id)
{
	static const struct field f[] = {
		{ "name", F_STR, 1, 1, 400 },
		{ "subject", F_STR, 0, 0, 800 },
		{ "reference", F_STR, 0, 0, 400 },
		{ "text", F_STR, 0, 0, 40000 },
		{ "is_default", F_BOOL, 0, 0, 0 },
	};
	struct template_row t;
	struct template_in in;
	struct st_result r;
	struct book_env env;
	json_t *doc;

	if ((doc = request_json(req)) == NULL)
		return;
	if (input_check(req, doc, f, ST_ARRAY_LEN(f)) == 0) {
		in.name = input_str(doc, "name");
		in.subject = input_str(doc, "subject");
		in.reference = input_str(doc, "reference");
		in.text = input_str(doc, "text");
		in.is_default = json_is_true(
		    json_object_get(doc, "is_default"));
		api_book_env(req, &env);
		r = id == NULL ?
		    templates_create(&env, req->user->id, &in, &t) :
		    templates_update(&env, req->user->id, id, &in, &t);
		if (r.st == ST_OK) {
			reply_json(
			    req, id == NULL ? 201 : 200, template_json(&t));
			template_row_release(&t);
		} else
			api_error(req, r);
	}
	json_decref(doc);
}

void
api_template_create(struct request *req)
{
	save(req, NULL);
}

void
api_template_put(struct request *req)
{
	save(req, req->params[0]);
}

void
api_template_get(struct request *req)
{
	struct template_row t;
	struct st_result r;
	struct book_env env;

	api_book_env(req, &env);
	r = templates_get(&env, req->user->id, req->params[0], &t);
	if (r.st != ST_OK) {
		api_error(req, r);
		return;
	}
	reply_json(req, 200, template_json(&t));
	template_row_release(&t);
}

void
api_template_delete(struct request *req)
{
	struct st_result r;
	struct book_env env;

	api_book_env(req, &env);
	r = templates_delete(&env, req->user->id, req->params[0]);
	if (r.st == ST_OK)
		reply_empty(req, 204);
	else
		api_error(req, r);
}
