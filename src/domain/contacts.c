/* The address book; see contacts.h. */
#include "util/common.h"

#include "db/db.h"
#include "domain/accounts.h"
#include "domain/contacts.h"
#include "domain/email.h"
#include "domain/phone.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/config.h"

static struct st_result
db_fail(enum db_status st)
{
	return st == DB_BUSY ?
	    st_res_after(ST_BUSY, 1, "busy", "The server is busy; try again") :
	    st_res(ST_ERROR, "internal", "database");
}

struct st_result
contacts_check(
    const char *allowed, const struct contact_in *in, struct contact *out)
{
	char email[EMAIL_MAX + 1], phone[PHONE_MAX + 1] = "";
	const char *domain, *why;

	memset(out, 0, sizeof(*out));
	if (!accounts_name_ok(in->name))
		return st_res(ST_INVALID, "bad_name",
		    "name: 1 to 100 characters, no control characters, no "
		    "leading or trailing space");
	if (!book_text_ok(in->organisation, CONTACT_ORG_MAX, 0))
		return st_res(ST_INVALID, "bad_organisation",
		    "organisation: at most 100 characters, no control "
		    "characters");
	if (email_normalise(in->email, email, sizeof(email), &domain, &why) ==
	    -1)
		return st_res(ST_INVALID, "bad_email", why);
	if (in->phone[0] != '\0' &&
	    phone_normalise(in->phone, allowed, phone, sizeof(phone), &why) ==
	        -1)
		return st_res(ST_INVALID, "bad_phone", why);
	out->name = xstrdup(in->name);
	out->organisation = xstrdup(in->organisation);
	out->email = xstrdup(email);
	out->phone = xstrdup(phone);
	return ST_RESULT_OK;
}

/* Inside a transaction: is the address free for contact id ("" new)? */
static struct st_result
email_free(struct db_conn *c, const char *owner, const char *email,
    const char *id, char existing[RAND_ID_LEN + 1])
{
	switch (contacts_db_find_email(c, owner, email, existing)) {
	case 0:
		return ST_RESULT_OK;
	case 1:
		if (strcmp(existing, id) == 0)
			return ST_RESULT_OK;
		return st_res(ST_CONFLICT, "duplicate_email",
		    "a contact with this e-mail address exists");
	default:
		return db_fail(DB_ERROR);
	}
}

static struct st_result
create_in(struct db_conn *c, const char *owner, struct contact *ct,
    char existing[RAND_ID_LEN + 1])
{
	struct st_result r;
	enum db_status st;
	int64_t n;

	if ((n = contacts_db_count(c, owner)) < 0)
		return db_fail(DB_ERROR);
	if (n >= CONTACTS_MAX)
		return st_res(ST_INVALID, "too_many_contacts",
		    "the address book is full");
	r = email_free(c, owner, ct->email, "", existing);
	if (r.st != ST_OK)
		return r;
	if ((st = contacts_db_insert(c, owner, ct)) != DB_OK)
		return st == DB_CONSTRAINT ?
		    st_res(ST_CONFLICT, "duplicate_email",
		        "a contact with this e-mail address exists") :
		    db_fail(st);
	return ST_RESULT_OK;
}

/* Runs fn in a write transaction, committing only on ST_OK. */
static struct st_result
in_tx(struct db_conn *c,
    struct st_result (*fn)(
        struct db_conn *, const char *, struct contact *, char *),
    const char *owner, struct contact *ct, char *existing)
{
	struct st_result r;
	enum db_status st;

	if ((st = db_begin(c)) != DB_OK)
		return db_fail(st);
	r = fn(c, owner, ct, existing);
	if (r.st != ST_OK) {
		db_rollback(c);
		return r;
	}
	if ((st = db_commit(c)) != DB_OK) {
		db_rollback(c);
		return db_fail(st);
	}
	return r;
}

struct st_result
contacts_create(const struct book_env *env, const char *owner,
    const struct contact_in *in, struct contact *out,
    char existing[RAND_ID_LEN + 1])
{
	struct st_result r;
	struct db_conn *c;

	existing[0] = '\0';
	r = contacts_check(env->cfg->sms_allowed_prefixes, in, out);
	if (r.st != ST_OK)
		return r;
	rand_id(out->id);
	out->created_at = out->updated_at = clock_now();
	c = db_get(env->db);
	r = in_tx(c, create_in, owner, out, existing);
	db_put(c);
	if (r.st != ST_OK)
		contact_release(out);
	return r;
}

static struct st_result
update_in(struct db_conn *c, const char *owner, struct contact *ct,
    char existing[RAND_ID_LEN + 1])
{
	struct st_result r;
	enum db_status st;
	int found;

	r = email_free(c, owner, ct->email, ct->id, existing);
	if (r.st != ST_OK) {
		/* Someone else's id must not learn about our addresses. */
		struct contact mine;

		if (contacts_db_get(c, owner, ct->id, &mine) != 1)
			return st_res(
			    ST_NOT_FOUND, "not_found", "no such contact");
		contact_release(&mine);
		return r;
	}
	st = contacts_db_update(c, owner, ct, &found);
	if (st == DB_CONSTRAINT)
		return st_res(ST_CONFLICT, "duplicate_email",
		    "a contact with this e-mail address exists");
	if (st != DB_OK)
		return db_fail(st);
	if (!found)
		return st_res(ST_NOT_FOUND, "not_found", "no such contact");
	return ST_RESULT_OK;
}

struct st_result
contacts_update(const struct book_env *env, const char *owner, const char *id,
    const struct contact_in *in, struct contact *out,
    char existing[RAND_ID_LEN + 1])
{
	struct st_result r;
	struct db_conn *c;
	struct contact old;

	existing[0] = '\0';
	r = contacts_check(env->cfg->sms_allowed_prefixes, in, out);
	if (r.st != ST_OK)
		return r;
	snprintf(out->id, sizeof(out->id), "%s", id);
	out->updated_at = clock_now();
	c = db_get(env->db);
	r = in_tx(c, update_in, owner, out, existing);
	if (r.st == ST_OK && contacts_db_get(c, owner, id, &old) == 1) {
		out->created_at = old.created_at;
		contact_release(&old);
	}
	db_put(c);
	if (r.st != ST_OK)
		contact_release(out);
	return r;
}

struct st_result
contacts_get(const struct book_env *env, const char *owner, const char *id,
    struct contact *out)
{
	struct db_conn *c = db_get(env->db);
	int rc = contacts_db_get(c, owner, id, out);

	db_put(c);
	if (rc == 1)
		return ST_RESULT_OK;
	return rc == 0 ? st_res(ST_NOT_FOUND, "not_found", "no such contact") :
	                 db_fail(DB_ERROR);
}

struct st_result
contacts_delete(const struct book_env *env, const char *owner, const char *id)
{
	struct db_conn *c = db_get(env->db);
	int rc = contacts_db_delete(c, owner, id);

	db_put(c);
	if (rc == 1)
		return ST_RESULT_OK;
	return rc == 0 ? st_res(ST_NOT_FOUND, "not_found", "no such contact") :
	                 db_fail(DB_ERROR);
}

/* "%q%" with q's ASCII letters lowered and %, _ and \ escaped. */
static void
like_pattern(const char *q, struct buf *b)
{
	if (*q == '\0')
		return;
	buf_addc(b, '%');
	for (; *q != '\0'; q++) {
		char ch = *q;

		if (ch == '%' || ch == '_' || ch == '\\')
			buf_addc(b, '\\');
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		buf_addc(b, ch);
	}
	buf_addc(b, '%');
}

struct st_result
contacts_list(const struct book_env *env, const char *owner,
    const struct contact_query *q, contact_fn fn, void *arg, int64_t *total)
{
	struct db_conn *c;
	struct buf like;
	int rc;

	if (strlen(q->q) > CONTACT_QUERY_MAX || !book_text_ok(q->q, 100, 0))
		return st_res(ST_INVALID, "bad_field", "q: too long");
	buf_init(&like, 2 * CONTACT_QUERY_MAX + 3);
	like_pattern(q->q, &like);
	c = db_get(env->db);
	rc = contacts_db_list(c, owner, like.data ? buf_str(&like) : "",
	    q->sort, q->desc, q->limit, q->offset, fn, arg, total);
	db_put(c);
	buf_release(&like);
	return rc == 0 ? ST_RESULT_OK : db_fail(DB_ERROR);
}
