/* Message templates; see templates.h. */
#include "util/common.h"

#include "db/db.h"
#include "domain/accounts.h"
#include "domain/templates.h"
#include "util/clock.h"

static struct st_result
db_fail(enum db_status st)
{
	return st == DB_BUSY ?
	    st_res_after(ST_BUSY, 1, "busy", "The server is busy; try again") :
	    st_res(ST_ERROR, "internal", "database");
}

static const struct st_result not_found = { ST_NOT_FOUND, "not_found",
	"no such template", 0 };

static struct st_result
check(const struct template_in *in, struct template_row *out)
{
	memset(out, 0, sizeof(*out));
	if (!accounts_name_ok(in->name))
		return st_res(ST_INVALID, "bad_name",
		    "name: 1 to 100 characters, no control characters, no "
		    "leading or trailing space");
	if (!book_text_ok(in->subject, TEMPLATE_SUBJECT_MAX, 0))
		return st_res(ST_INVALID, "bad_subject",
		    "subject: at most 200 characters on one line");
	if (!book_text_ok(in->reference, TEMPLATE_REFERENCE_MAX, 0))
		return st_res(ST_INVALID, "bad_reference",
		    "reference: at most 100 characters on one line");
	if (!book_text_ok(in->text, TEMPLATE_TEXT_MAX, 1))
		return st_res(ST_INVALID, "bad_text",
		    "text: at most 10000 characters, no control characters");
	out->name = xstrdup(in->name);
	out->subject = xstrdup(in->subject);
	out->reference = xstrdup(in->reference);
	out->body = xstrdup(in->text);
	out->is_default = in->is_default != 0;
	return ST_RESULT_OK;
}

/* Inside the transaction: insert (creating) or update, then the default. */
static struct st_result
store(
    struct db_conn *c, const char *owner, struct template_row *t, int creating)
{
	enum db_status st;
	int64_t n;
	int found = 1;

	if (creating) {
		if ((n = templates_db_count(c, owner)) < 0)
			return db_fail(DB_ERROR);
		if (n >= TEMPLATES_MAX)
			return st_res(ST_INVALID, "too_many_templates",
			    "no more templates allowed");
		st = templates_db_insert(c, owner, t);
	} else
		st = templates_db_update(c, owner, t, &found);
	if (st == DB_CONSTRAINT)
		return st_res(ST_CONFLICT, "duplicate_name",
		    "a template with this name exists");
	if (st != DB_OK)
		return db_fail(st);
	if (!found)
		return not_found;
	if (t->is_default &&
	    (st = templates_db_clear_default(c, owner, t->id)) != DB_OK)
		return db_fail(st);
	return ST_RESULT_OK;
}

static struct st_result
save(const struct book_env *env, const char *owner, struct template_row *t,
    int creating)
{
	struct template_row old;
	struct st_result r;
	struct db_conn *c;
	enum db_status st;

	c = db_get(env->db);
	if ((st = db_begin(c)) != DB_OK) {
		db_put(c);
		return db_fail(st);
	}
	r = store(c, owner, t, creating);
	if (r.st == ST_OK && (st = db_commit(c)) != DB_OK)
		r = db_fail(st);
	if (r.st != ST_OK)
		db_rollback(c);
	else if (templates_db_get(c, owner, t->id, &old) == 1) {
		t->created_at = old.created_at;
		template_row_release(&old);
	}
	db_put(c);
	return r;
}

struct st_result
templates_create(const struct book_env *env, const char *owner,
    const struct template_in *in, struct template_row *out)
{
	struct st_result r = check(in, out);

	if (r.st != ST_OK)
		return r;
	rand_id(out->id);
	out->created_at = out->updated_at = clock_now();
	if ((r = save(env, owner, out, 1)).st != ST_OK)
		template_row_release(out);
	return r;
}

struct st_result
templates_update(const struct book_env *env, const char *owner, const char *id,
    const struct template_in *in, struct template_row *out)
{
	struct st_result r = check(in, out);

	if (r.st != ST_OK)
		return r;
	snprintf(out->id, sizeof(out->id), "%s", id);
	out->updated_at = clock_now();
	if ((r = save(env, owner, out, 0)).st != ST_OK)
		template_row_release(out);
	return r;
}

struct st_result
templates_get(const struct book_env *env, const char *owner, const char *id,
    struct template_row *out)
{
	struct db_conn *c = db_get(env->db);
	int rc = templates_db_get(c, owner, id, out);

	db_put(c);
	if (rc == 1)
		return ST_RESULT_OK;
	return rc == 0 ? not_found : db_fail(DB_ERROR);
}

struct st_result
templates_delete(const struct book_env *env, const char *owner, const char *id)
{
	struct db_conn *c = db_get(env->db);
	int rc = templates_db_delete(c, owner, id);

	db_put(c);
	if (rc == 1)
		return ST_RESULT_OK;
	return rc == 0 ? not_found : db_fail(DB_ERROR);
}

struct st_result
templates_list(const struct book_env *env, const char *owner, int64_t limit,
    int64_t offset, template_fn fn, void *arg, int64_t *total)
{
	struct db_conn *c = db_get(env->db);
	int rc = templates_db_list(c, owner, limit, offset, fn, arg, total);

	db_put(c);
	return rc == 0 ? ST_RESULT_OK : db_fail(DB_ERROR);
}
