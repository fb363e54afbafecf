/* SQL for the address book; see contacts_db.h. */
#include "util/common.h"

#include "db/contacts_db.h"

#define CT_COLS "id, name, organisation, email, phone, created_at, updated_at"
#define CT_WHERE \
	" FROM contacts WHERE owner_id = $1 AND ($2 = '' OR " \
	"LOWER(name) LIKE $2 ESCAPE '\\' OR " \
	"LOWER(organisation) LIKE $2 ESCAPE '\\' OR " \
	"LOWER(email) LIKE $2 ESCAPE '\\' OR phone LIKE $2 ESCAPE '\\')"
#define CT_LIST(order) \
	"SELECT " CT_COLS CT_WHERE " ORDER BY " order ", id LIMIT $3 OFFSET " \
	"$4"

/* Statement text is the cache key: one literal per sort order. */
static const char *const list_sql[3][2] = {
	{ CT_LIST("LOWER(name) ASC, LOWER(email) ASC"),
	    CT_LIST("LOWER(name) DESC, LOWER(email) DESC") },
	{ CT_LIST("LOWER(organisation) ASC, LOWER(name) ASC"),
	    CT_LIST("LOWER(organisation) DESC, LOWER(name) DESC") },
	{ CT_LIST("email ASC"), CT_LIST("email DESC") },
};

void
contact_release(struct contact *ct)
{
	free(ct->name);
	free(ct->organisation);
	free(ct->email);
	free(ct->phone);
	memset(ct, 0, sizeof(*ct));
}

static void
read_row(struct db_stmt *s, struct contact *ct)
{
	const char *id = db_text(s, 0);

	snprintf(ct->id, sizeof(ct->id), "%s", id != NULL ? id : "");
	ct->name = db_dup_text0(s, 1);
	ct->organisation = db_dup_text0(s, 2);
	ct->email = db_dup_text0(s, 3);
	ct->phone = db_dup_text0(s, 4);
	ct->created_at = db_int(s, 5);
	ct->updated_at = db_int(s, 6);
}

int
contacts_db_list(struct db_conn *c, const char *owner, const char *like,
    enum contact_sort sort, int desc, int64_t limit, int64_t offset,
    contact_fn fn, void *arg, int64_t *total)
{
	struct contact ct;
	struct db_stmt *s;
	enum db_status st;

	if ((*total = db_int_of(c, "SELECT COUNT(*)" CT_WHERE,
	         DB_PARAMS(DB_TEXT(owner), DB_TEXT(like)))) < 0)
		return -1;
	s = db_query(c, list_sql[sort][desc ? 1 : 0],
	    DB_PARAMS(
	        DB_TEXT(owner), DB_TEXT(like), DB_INT(limit), DB_INT(offset)));
	if (s == NULL)
		return -1;
	while ((st = db_next(s)) == DB_ROW) {
		read_row(s, &ct);
		fn(&ct, arg);
		contact_release(&ct);
	}
	db_done(s);
	return st == DB_DONE ? 0 : -1;
}

int
contacts_db_get(
    struct db_conn *c, const char *owner, const char *id, struct contact *out)
{
	struct db_stmt *s;
	int found;

	s = db_query(c,
	    "SELECT " CT_COLS " FROM contacts WHERE id = $1 AND owner_id = $2",
	    DB_PARAMS(DB_TEXT(id), DB_TEXT(owner)));
	if ((found = db_first(s)) != 1)
		return found;
	read_row(s, out);
	db_done(s);
	return 1;
}

int
contacts_db_find_email(struct db_conn *c, const char *owner, const char *email,
    char id[RAND_ID_LEN + 1])
{
	struct db_stmt *s;
	int found;

	s = db_query(c,
	    "SELECT id FROM contacts WHERE owner_id = $1 AND email = $2",
	    DB_PARAMS(DB_TEXT(owner), DB_TEXT(email)));
	if ((found = db_first(s)) != 1)
		return found;
	snprintf(id, RAND_ID_LEN + 1, "%s",
	    db_text(s, 0) != NULL ? db_text(s, 0) : "");
	db_done(s);
	return 1;
}

int64_t
contacts_db_count(struct db_conn *c, const char *owner)
{
	return db_int_of(c, "SELECT COUNT(*) FROM contacts WHERE owner_id = $1",
	    DB_PARAMS(DB_TEXT(owner)));
}

enum db_status
contacts_db_insert(
    struct db_conn *c, const char *owner, const struct contact *ct)
{
	return db_exec(c,
	    "INSERT INTO contacts (id, owner_id, name, organisation, email, "
	    "phone, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, "
	    "$7, $8)",
	    DB_PARAMS(DB_TEXT(ct->id), DB_TEXT(owner), DB_TEXT(ct->name),
	        DB_TEXT(ct->organisation), DB_TEXT(ct->email),
	        DB_TEXT(ct->phone), DB_INT(ct->created_at),
	        DB_INT(ct->updated_at)));
}

enum db_status
contacts_db_update(
    struct db_conn *c, const char *owner, const struct contact *ct, int *found)
{
	enum db_status st;

	st = db_exec(c,
	    "UPDATE contacts SET name = $1, organisation = $2, email = $3, "
	    "phone = $4, updated_at = $5 WHERE id = $6 AND owner_id = $7",
	    DB_PARAMS(DB_TEXT(ct->name), DB_TEXT(ct->organisation),
	        DB_TEXT(ct->email), DB_TEXT(ct->phone), DB_INT(ct->updated_at),
	        DB_TEXT(ct->id), DB_TEXT(owner)));
	*found = st == DB_OK && db_changes(c) > 0;
	return st;
}

int
contacts_db_delete(struct db_conn *c, const char *owner, const char *id)
{
	if (db_exec(c, "DELETE FROM contacts WHERE id = $1 AND owner_id = $2",
	        DB_PARAMS(DB_TEXT(id), DB_TEXT(owner))) != DB_OK)
		return -1;
	return db_changes(c) > 0 ? 1 : 0;
}
