/* SQL for requests and drop-offs; see requests_db.h. */
#include "util/common.h"

#include "db/requests_db.h"

#define REQ_COLS \
	"id, kind, employee_id, key_id, ext_email, ext_name, text, " \
	"created_at, expires_at, confirmed_at, code_hash, " \
	"code_expires_at, failures, message_id, used_at, lang"

void
req_row_release(struct req_row *r)
{
	free(r->ext_email);
	free(r->ext_name);
	free(r->text);
	r->ext_email = r->ext_name = r->text = NULL;
}

enum db_status
req_insert(struct db_conn *c, const struct req_row *r, const char *token_hash)
{
	return db_exec(c,
	    "INSERT INTO requests (id, token_hash, kind, employee_id, key_id, "
	    "ext_email, ext_name, text, created_at, expires_at, "
	    "confirmed_at, code_hash, code_expires_at, lang) VALUES ($1, $2, "
	    "$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
	    DB_PARAMS(DB_TEXT(r->id), DB_TEXT(token_hash), DB_TEXT(r->kind),
	        DB_TEXT(r->employee_id), DB_TEXT(r->key_id),
	        DB_TEXT(r->ext_email), DB_TEXT(r->ext_name), DB_TEXT(r->text),
	        DB_INT(r->created_at), DB_INT(r->expires_at),
	        r->confirmed_at ? DB_INT(r->confirmed_at) : DB_NULL,
	        r->code_hash[0] ? DB_TEXT(r->code_hash) : DB_NULL,
	        DB_INT(r->code_expires_at),
	        DB_TEXT(r->lang[0] ? r->lang : "nl")));
}

static void
copy_text(char *dst, size_t len, struct db_stmt *s, int col)
{
	snprintf(dst, len, "%s", db_isnull(s, col) ? "" : db_text(s, col));
}

int
req_by_token_hash(
    struct db_conn *c, const char *token_hash, struct req_row *out)
{
	struct db_stmt *s;
	int found;

	memset(out, 0, sizeof(*out));
	s = db_query(c,
	    "SELECT " REQ_COLS " FROM requests WHERE token_hash = $1",
	    DB_PARAMS(DB_TEXT(token_hash)));
	if ((found = db_first(s)) != 1)
		return found;
	copy_text(out->id, sizeof(out->id), s, 0);
	copy_text(out->kind, sizeof(out->kind), s, 1);
	copy_text(out->employee_id, sizeof(out->employee_id), s, 2);
	copy_text(out->key_id, sizeof(out->key_id), s, 3);
	out->ext_email = db_dup_text0(s, 4);
	out->ext_name = db_dup_text0(s, 5);
	out->text = db_dup_text0(s, 6);
	out->created_at = db_int(s, 7);
	out->expires_at = db_int(s, 8);
	out->confirmed_at = db_isnull(s, 9) ? 0 : db_int(s, 9);
	copy_text(out->code_hash, sizeof(out->code_hash), s, 10);
	out->code_expires_at = db_int(s, 11);
	out->failures = db_int(s, 12);
	copy_text(out->message_id, sizeof(out->message_id), s, 13);
	out->used_at = db_isnull(s, 14) ? 0 : db_int(s, 14);
	copy_text(out->lang, sizeof(out->lang), s, 15);
	db_done(s);
	return 1;
}

enum db_status
req_set_message(struct db_conn *c, const char *id, const char *msg_id)
{
	return db_exec(c,
	    "UPDATE requests SET message_id = $2 WHERE id = $1 AND "
	    "used_at IS NULL",
	    DB_PARAMS(DB_TEXT(id), DB_TEXT(msg_id)));
}

int
req_use(struct db_conn *c, const char *id, const char *msg_id, int64_t now)
{
	if (db_exec(c,
	        "UPDATE requests SET used_at = $3 WHERE id = $1 AND "
	        "message_id = $2 AND used_at IS NULL",
	        DB_PARAMS(DB_TEXT(id), DB_TEXT(msg_id), DB_INT(now))) != DB_OK)
		return -1;
	return db_changes(c) == 1 ? 1 : 0;
}

int64_t
req_messages(struct db_conn *c, const char *id)
{
	return db_int_of(c,
	    "SELECT COUNT(*) FROM messages WHERE request_id = $1",
	    DB_PARAMS(DB_TEXT(id)));
}

int64_t
req_code_fail(struct db_conn *c, const char *id)
{
	return db_int_of(c,
	    "UPDATE requests SET failures = failures + 1 WHERE id = $1 "
	    "RETURNING failures",
	    DB_PARAMS(DB_TEXT(id)));
}

enum db_status
req_confirm(struct db_conn *c, const char *id, int64_t now)
{
	return db_exec(c,
	    "UPDATE requests SET confirmed_at = $2, code_hash = NULL "
	    "WHERE id = $1",
	    DB_PARAMS(DB_TEXT(id), DB_INT(now)));
}

enum db_status
req_purge_expired(struct db_conn *c, int64_t before)
{
	return db_exec(c, "DELETE FROM requests WHERE expires_at < $1",
	    DB_PARAMS(DB_INT(before)));
}
