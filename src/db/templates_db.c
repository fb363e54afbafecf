/* SQL for message templates; see templates_db.h. */
#include "util/common.h"

#include "db/templates_db.h"

#define TPL_COLS \
	"id, name, subject, reference, body, is_default, created_at, " \
	"updated_at"

void
template_row_release(struct template_row *t)
{
	free(t->name);
	free(t->subject);
	free(t->reference);
	free(t->body);
	memset(t, 0, sizeof(*t));
}

static void
read_row(struct db_stmt *s, struct template_row *t)
{
	const char *id = db_text(s, 0);

	snprintf(t->id, sizeof(t->id), "%s", id != NULL ? id : "");
	t->name = db_dup_text0(s, 1);
	t->subject = db_dup_text0(s, 2);
	t->reference = db_dup_text0(s, 3);
	t->body = db_dup_text0(s, 4);
	t->is_default = db_int(s, 5) != 0;
	t->created_at = db_int(s, 6);
	t->updated_at = db_int(s, 7);
}

int64_t
templates_db_count(struct db_conn *c, const char *owner)
{
	return db_int_of(c,
	    "SELECT COUNT(*) FROM templates WHERE owner_id = $1",
	    DB_PARAMS(DB_TEXT(owner)));
}

int
templates_db_list(struct db_conn *c, const char *owner, int64_t limit,
    int64_t offset, template_fn fn, void *arg, int64_t *total)
{
	struct template_row t;
	struct db_stmt *s;
	enum db_status st;

	if ((*total = templates_db_count(c, owner)) < 0)
		return -1;
	s = db_query(c,
	    "SELECT " TPL_COLS " FROM templates WHERE owner_id = $1 "
	    "ORDER BY LOWER(name), id LIMIT $2 OFFSET $3",
	    DB_PARAMS(DB_TEXT(owner), DB_INT(limit), DB_INT(offset)));
	if (s == NULL)
		return -1;
	while ((st = db_next(s)) == DB_ROW) {
		read_row(s, &t);
		fn(&t, arg);
		template_row_release(&t);
	}
	db_done(s);
	return st == DB_DONE ? 0 : -1;
}

int
templates_db_get(struct db_conn *c, const char *owner, const char *id,
    struct template_row *out)
{
	struct db_stmt *s;
	int found;

	s = db_query(c,
	    "SELECT " TPL_COLS " FROM templates WHERE id = $1 AND "
	    "owner_id = $2",
	    DB_PARAMS(DB_TEXT(id), DB_TEXT(owner)));
	if ((found = db_first(s)) != 1)
		return found;
	read_row(s, out);
	db_done(s);
	return 1;
}

enum db_status
templates_db_insert(
    struct db_conn *c, const char *owner, const struct template_row *t)
{
	return db_exec(c,
	    "INSERT INTO templates (id, owner_id, name, subject, reference, "
	    "body, is_default, created_at, updated_at) VALUES ($1, $2, $3, "
	    "$4, $5, $6, $7, $8, $9)",
	    DB_PARAMS(DB_TEXT(t->id), DB_TEXT(owner), DB_TEXT(t->name),
	        DB_TEXT(t->subject), DB_TEXT(t->reference), DB_TEXT(t->body),
	        DB_INT(t->is_default ? 1 : 0), DB_INT(t->created_at),
	        DB_INT(t->updated_at)));
}

enum db_status
templates_db_update(struct db_conn *c, const char *owner,
    const struct template_row *t, int *found)
{
	enum db_status st;

	st = db_exec(c,
	    "UPDATE templates SET name = $1, subject = $2, reference = $3, "
	    "body = $4, is_default = $5, updated_at = $6 WHERE id = $7 AND "
	    "owner_id = $8",
	    DB_PARAMS(DB_TEXT(t->name), DB_TEXT(t->subject),
	        DB_TEXT(t->reference), DB_TEXT(t->body),
	        DB_INT(t->is_default ? 1 : 0), DB_INT(t->updated_at),
	        DB_TEXT(t->id), DB_TEXT(owner)));
	*found = st == DB_OK && db_changes(c) > 0;
	return st;
}

int
templates_db_delete(struct db_conn *c, const char *owner, const char *id)
{
	if (db_exec(c, "DELETE FROM templates WHERE id = $1 AND owner_id = $2",
	        DB_PARAMS(DB_TEXT(id), DB_TEXT(owner))) != DB_OK)
		return -1;
	return db_changes(c) > 0 ? 1 : 0;
}

enum db_status
templates_db_clear_default(
    struct db_conn *c, const char *owner, const char *keep_id)
{
	return db_exec(c,
	    "UPDATE templates SET is_default = 0 WHERE owner_id = $1 AND "
	    "id <> $2 AND is_default <> 0",
	    DB_PARAMS(DB_TEXT(owner), DB_TEXT(keep_id)));
}
