/* SQL for messages and their files; see messages_db.h. */
#include "util/common.h"

#include "db/messages_db.h"
#include "util/clock.h"

#define MSG_COLS \
	"id, sender_id, rcpt_email, rcpt_name, rcpt_phone, " \
	"rcpt_user_id, rcpt_key_id, rcpt_kind, subject, reference, state, " \
	"total_size, created_at, upload_deadline, sent_at, expires_at, " \
	"request_id, ext_email, ext_name, delivery, rcpt_lang"
#define FILE_COLS \
	"id, message_id, idx, name, size, ciphertext_size, " \
	"upload_offset, object_key, upload_started, done, header_sha256, " \
	"ciphertext_sha256"

void
msg_row_release(struct msg_row *m)
{
	free(m->rcpt_email);
	free(m->rcpt_name);
	free(m->rcpt_phone);
	free(m->rcpt_user_id);
	free(m->rcpt_key_id);
	free(m->rcpt_kind);
	free(m->subject);
	free(m->reference);
	free(m->state);
	free(m->ext_email);
	free(m->ext_name);
	memset(m, 0, sizeof(*m));
}

void
file_row_release(struct file_row *f)
{
	free(f->name);
	memset(f, 0, sizeof(*f));
}

enum db_status
msg_insert(struct db_conn *c, const struct msg_row *m)
{
	return db_exec(c,
	    "INSERT INTO messages (" MSG_COLS ") VALUES ($1, $2, "
	    "$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, NULL, NULL, "
	    "$15, $16, $17, $18, $19)",
	    DB_PARAMS(DB_TEXT(m->id), DB_TEXT(m->sender_id),
	        DB_TEXT(m->rcpt_email), DB_TEXT(m->rcpt_name),
	        DB_TEXT(m->rcpt_phone), DB_TEXT(m->rcpt_user_id),
	        DB_TEXT(m->rcpt_key_id), DB_TEXT(m->rcpt_kind),
	        DB_TEXT(m->subject), DB_TEXT(m->reference), DB_TEXT(m->state),
	        DB_INT(m->total_size), DB_INT(m->created_at),
	        DB_INT(m->upload_deadline),
	        m->request_id[0] ? DB_TEXT(m->request_id) : DB_NULL,
	        DB_TEXT(m->ext_email), DB_TEXT(m->ext_name),
	        DB_TEXT(m->strict ? "strict" : "standard"),
	        DB_TEXT(m->rcpt_lang[0] ? m->rcpt_lang : "nl")));
}

enum db_status
msg_key_insert(struct db_conn *c, const char *id, const char *r_srv)
{
	return db_exec(c,
	    "INSERT INTO message_keys (message_id, r_srv) "
	    "VALUES ($1, $2)",
	    DB_PARAMS(DB_TEXT(id), DB_TEXT(r_srv)));
}

char *
msg_key_get(struct db_conn *c, const char *id)
{
	struct db_stmt *s;
	char *r = NULL;

	s = db_query(c, "SELECT r_srv FROM message_keys WHERE message_id = $1",
	    DB_PARAMS(DB_TEXT(id)));
	if (s != NULL && db_next(s) == DB_ROW)
		r = db_dup_text(s, 0);
	db_done(s);
	return r;
}

enum db_status
file_insert(struct db_conn *c, const struct file_row *f)
{
	return db_exec(c,
	    "INSERT INTO files (id, message_id, idx, name, size, "
	    "ciphertext_size, object_key) VALUES ($1, $2, $3, $4, $5, $6, $7)",
	    DB_PARAMS(DB_TEXT(f->id), DB_TEXT(f->message_id), DB_INT(f->idx),
	        DB_TEXT(f->name), DB_INT(f->size), DB_INT(f->ciphertext_size),
	        DB_TEXT(f->object_key)));
}

int
msg_get(struct db_conn *c, const char *id, struct msg_row *m)
{
	struct db_stmt *s;
	int found;

	s = db_query(c, "SELECT " MSG_COLS " FROM messages WHERE id = $1",
	    DB_PARAMS(DB_TEXT(id)));
	if ((found = db_first(s)) != 1)
		return found;
	memset(m, 0, sizeof(*m));
	snprintf(m->id, sizeof(m->id), "%s", db_text(s, 0));
	snprintf(m->sender_id, sizeof(m->sender_id), "%s", db_text(s, 1));
	m->rcpt_email = db_dup_text(s, 2);
	m->rcpt_name = db_dup_text(s, 3);
	m->rcpt_phone = db_dup_text(s, 4);
	m->rcpt_user_id = db_dup_text(s, 5);
	m->rcpt_key_id = db_dup_text(s, 6);
	m->rcpt_kind = db_dup_text(s, 7);
	m->subject = db_dup_text(s, 8);
	m->reference = db_dup_text(s, 9);
	m->state = db_dup_text(s, 10);
	m->total_size = db_int(s, 11);
	m->created_at = db_int(s, 12);
	m->upload_deadline = db_int(s, 13);
	m->sent_at = db_int(s, 14);
	m->expires_at = db_int(s, 15);
	snprintf(m->request_id, sizeof(m->request_id), "%s",
	    db_isnull(s, 16) ? "" : db_text(s, 16));
	m->ext_email = db_dup_text(s, 17);
	m->ext_name = db_dup_text(s, 18);
	m->strict = strcmp(db_text(s, 19), "strict") == 0;
	snprintf(m->rcpt_lang, sizeof(m->rcpt_lang), "%s",
	    db_isnull(s, 20) ? "nl" : db_text(s, 20));
	db_done(s);
	return 1;
}

static void
file_from_row(struct db_stmt *s, struct file_row *f)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->id, sizeof(f->id), "%s", db_text(s, 0));
	snprintf(f->message_id, sizeof(f->message_id), "%s", db_text(s, 1));
	f->idx = db_int(s, 2);
	f->name = db_dup_text(s, 3);
	f->size = db_int(s, 4);
	f->ciphertext_size = db_int(s, 5);
	f->upload_offset = db_int(s, 6);
	snprintf(f->object_key, sizeof(f->object_key), "%s", db_text(s, 7));
	f->started = (int)db_int(s, 8);
	f->done = db_int(s, 9) != 0;
	snprintf(f->header_sha256, sizeof(f->header_sha256), "%s",
	    db_isnull(s, 10) ? "" : db_text(s, 10));
	snprintf(f->ciphertext_sha256, sizeof(f->ciphertext_sha256), "%s",
	    db_isnull(s, 11) ? "" : db_text(s, 11));
}

int
file_get(struct db_conn *c, const char *id, struct file_row *f)
{
	struct db_stmt *s;
	int found;

	s = db_query(c, "SELECT " FILE_COLS " FROM files WHERE id = $1",
	    DB_PARAMS(DB_TEXT(id)));
	if ((found = db_first(s)) != 1)
		return found;
	file_from_row(s, f);
	db_done(s);
	return 1;
}

int
files_of(struct db_conn *c, const char *msg_id,
    void (*fn)(const struct file_row *f, void *arg), void *arg)
{
	struct file_row f;
	struct db_stmt *s;
	enum db_status r;

	s = db_query(c,
	    "SELECT " FILE_COLS " FROM files WHERE message_id = $1 "
	    "ORDER BY idx",
	    DB_PARAMS(DB_TEXT(msg_id)));
	if (s == NULL)
		return -1;
	while ((r = db_next(s)) == DB_ROW) {
		file_from_row(s, &f);
		fn(&f, arg);
		file_row_release(&f);
	}
	db_done(s);
	return r == DB_DONE ? 0 : -1;
}

int64_t
files_not_done(struct db_conn *c, const char *msg_id)
{
	return db_int_of(c,
	    "SELECT COUNT(*) FROM files WHERE message_id = $1 AND "
	    "done = 0",
	    DB_PARAMS(DB_TEXT(msg_id)));
}

int
file_lease(struct db_conn *c, const char *id, const char *owner, int64_t now_us,
    int64_t until_us, int64_t offset)
{
	/* Relaxed: a lease lost to a crash is one the restart would end
	 * anyway (uploads_release_leases), and a PATCH per upload a second
	 * should not cost two fsyncs of the database. */
	if (db_exec_relaxed(c,
	        "UPDATE files SET patch_until_us = $3, patch_owner = $5 "
	        "WHERE id = $1 AND patch_until_us < $2 AND "
	        "($4 < 0 OR upload_offset = $4)",
	        DB_PARAMS(DB_TEXT(id), DB_INT(now_us), DB_INT(until_us),
	            DB_INT(offset), DB_TEXT(owner))) != DB_OK)
		return -1;
	return db_changes(c) == 1 ? 1 : 0;
}

enum db_status
file_lease_renew(
    struct db_conn *c, const char *id, const char *owner, int64_t until_us)
{
	return db_exec_relaxed(c,
	    "UPDATE files SET patch_until_us = $3 WHERE id = $1 AND "
	    "patch_owner = $2 AND patch_until_us > 0",
	    DB_PARAMS(DB_TEXT(id), DB_TEXT(owner), DB_INT(until_us)));
}

enum db_status
files_release_leases(struct db_conn *c, const char *owner)
{
	return db_exec(c,
	    "UPDATE files SET patch_until_us = 0 WHERE patch_until_us > 0 "
	    "AND patch_owner = $1",
	    DB_PARAMS(DB_TEXT(owner)));
}

enum db_status
file_set_offset(struct db_conn *c, const char *id, int64_t offset, int done)
{
	return db_exec(c,
	    "UPDATE files SET upload_offset = $2, done = $3, "
	    "patch_until_us = 0 WHERE id = $1",
	    DB_PARAMS(DB_TEXT(id), DB_INT(offset), DB_INT(done)));
}

enum db_status
file_restart(struct db_conn *c, const char *id)
{
	return db_exec(c,
	    "UPDATE files SET upload_offset = 0, done = 0, "
	    "upload_started = 1, patch_until_us = 0 WHERE id = $1",
	    DB_PARAMS(DB_TEXT(id)));
}

enum db_status
file_terminate(struct db_conn *c, const char *id)
{
	return db_exec(c,
	    "UPDATE files SET upload_offset = 0, done = 0, upload_started = "
	    "2, patch_until_us = 0 WHERE id = $1 AND done = 0",
	    DB_PARAMS(DB_TEXT(id)));
}

enum db_status
file_set_header(struct db_conn *c, const char *id, const char *sha256_b64u)
{
	return db_exec(c, "UPDATE files SET header_sha256 = $2 WHERE id = $1",
	    DB_PARAMS(DB_TEXT(id), DB_TEXT(sha256_b64u)));
}

int
files_unhashed(struct db_conn *c, char ids[][RAND_ID_LEN + 1], int max)
{
	struct db_stmt *s;
	int n = 0;

	s = db_query(c,
	    "SELECT f.id FROM files f JOIN messages m ON m.id = f.message_id "
	    "WHERE f.done = 1 AND f.ciphertext_sha256 IS NULL AND m.state IN "
	    "('uploading', 'sent', 'opened', 'downloaded') LIMIT $1",
	    DB_PARAMS(DB_INT(max)));
	if (s == NULL)
		return -1;
	while (n < max && db_next(s) == DB_ROW)
		snprintf(ids[n++], RAND_ID_LEN + 1, "%s", db_text(s, 0));
	db_done(s);
	return n;
}

enum db_status
file_set_ciphertext_hash(
    struct db_conn *c, const char *id, const char *sha256_b64u)
{
	return db_exec(c,
	    "UPDATE files SET ciphertext_sha256 = $2 WHERE id = $1",
	    DB_PARAMS(DB_TEXT(id), DB_TEXT(sha256_b64u)));
}

enum db_status
stanza_put(struct db_conn *c, const char *msg_id, const char *key_id,
    const char *role, const char *body)
{
	if (db_exec(c,
	        "DELETE FROM stanzas WHERE message_id = $1 AND "
	        "key_id = $2",
	        DB_PARAMS(DB_TEXT(msg_id), DB_TEXT(key_id))) != DB_OK)
		return DB_ERROR;
	return stanza_insert(c, msg_id, key_id, role, body);
}

enum db_status
msg_set_sent(struct db_conn *c, const char *id, const char *manifest,
    const struct msg_link_gate *link, int64_t sent_at, int64_t expires_at)
{
	static const struct msg_link_gate none = { NULL, NULL, NULL };

	if (link == NULL)
		link = &none;
	return db_exec(c,
	    "UPDATE messages SET state = 'sent', manifest = $2, "
	    "link_auth_hash = $3, link_stanza = $4, sent_at = $5, "
	    "expires_at = $6, link_secret_sealed = $7 WHERE id = $1 AND "
	    "state = 'uploading'",
	    DB_PARAMS(DB_TEXT(id), DB_TEXT(manifest), DB_TEXT(link->auth_hash),
	        DB_TEXT(link->stanza), DB_INT(sent_at), DB_INT(expires_at),
	        DB_TEXT(link->secret_sealed)));
}

int
msg_transition(
    struct db_conn *c, const char *id, const char *from, const char *to)
{
	if (db_exec(c,
	        "UPDATE messages SET state = $3 WHERE id = $1 AND "
	        "state = $2",
	        DB_PARAMS(DB_TEXT(id), DB_TEXT(from), DB_TEXT(to))) != DB_OK)
		return -1;
	return db_changes(c) == 1 ? 1 : 0;
}

enum db_status
stanza_insert(struct db_conn *c, const char *msg_id, const char *key_id,
    const char *role, const char *body)
{
	return db_exec(c,
	    "INSERT INTO stanzas (message_id, key_id, role, body) "
	    "VALUES ($1, $2, $3, $4)",
	    DB_PARAMS(DB_TEXT(msg_id), DB_TEXT(key_id), DB_TEXT(role),
	        DB_TEXT(body)));
}

char *
stanza_of_role(struct db_conn *c, const char *msg_id, const char *role,
    char key_id[RAND_ID_LEN + 1])
{
	struct db_stmt *s;
	char *body = NULL;

	key_id[0] = '\0';
	s = db_query(c,
	    "SELECT body, key_id FROM stanzas WHERE message_id = $1 AND "
	    "role = $2 ORDER BY key_id LIMIT 1",
	    DB_PARAMS(DB_TEXT(msg_id), DB_TEXT(role)));
	if (s != NULL && db_next(s) == DB_ROW) {
		body = db_dup_text(s, 0);
		snprintf(key_id, RAND_ID_LEN + 1, "%s", db_text(s, 1));
	}
	db_done(s);
	return body;
}

char *
stanza_get(struct db_conn *c, const char *msg_id, const char *key_id)
{
	struct db_stmt *s;
	char *body = NULL;

	s = db_query(c,
	    "SELECT body FROM stanzas WHERE message_id = $1 AND "
	    "key_id = $2",
	    DB_PARAMS(DB_TEXT(msg_id), DB_TEXT(key_id)));
	if (s != NULL && db_next(s) == DB_ROW)
		body = db_dup_text(s, 0);
	db_done(s);
	return body;
}

enum db_status
event_add_member(struct db_conn *c, const char *msg_id, const char *kind,
    const char *actor, const char *member, const char *ip, const char *detail)
{
	char id[RAND_ID_LEN + 1];

	rand_id(id);
	return db_exec(c,
	    "INSERT INTO events (id, message_id, at_us, kind, "
	    "actor, member_id, ip, detail) VALUES ($1, $2, $3, $4, $5, $6, "
	    "$7, $8)",
	    DB_PARAMS(DB_TEXT(id), DB_TEXT(msg_id), DB_INT(clock_now_us()),
	        DB_TEXT(kind), DB_TEXT(actor),
	        member != NULL && *member ? DB_TEXT(member) : DB_NULL,
	        DB_TEXT(ip), DB_TEXT(detail)));
}

enum db_status
event_add(struct db_conn *c, const char *msg_id, const char *kind,
    const char *actor, const char *ip, const char *detail)
{
	return event_add_member(c, msg_id, kind, actor, NULL, ip, detail);
}

int
msgs_overdue(
    struct db_conn *c, int64_t now, char ids[][RAND_ID_LEN + 1], int max)
{
	struct db_stmt *s;
	int n = 0;

	s = db_query(c,
	    "SELECT id FROM messages WHERE state = 'uploading' AND "
	    "upload_deadline < $1 ORDER BY upload_deadline LIMIT $2",
	    DB_PARAMS(DB_INT(now), DB_INT(max)));
	if (s == NULL)
		return -1;
	while (n < max && db_next(s) == DB_ROW)
		snprintf(ids[n++], RAND_ID_LEN + 1, "%s", db_text(s, 0));
	db_done(s);
	return n;
}

enum db_status
msg_keys_delete(struct db_conn *c, const char *id)
{
	return db_exec(c, "DELETE FROM message_keys WHERE message_id = $1",
	    DB_PARAMS(DB_TEXT(id)));
}
