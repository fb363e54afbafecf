/* The message document; see message_doc.h. */
#include "util/common.h"

#include "db/mailboxes_db.h"

#include "api/kt_json.h"
#include "api/message_doc.h"
#include "db/messages_db.h"
#include "db/receive_db.h"
#include "db/users.h"

static void
add_file(const struct file_row *f, void *arg)
{
	json_array_append_new(arg,
	    json_pack("{s:s,s:I,s:s,s:I,s:I,s:I,s:b,s:s?}", "id", f->id,
	        "index", (json_int_t)f->idx, "name", f->name, "size",
	        (json_int_t)f->size, "ciphertext_size",
	        (json_int_t)f->ciphertext_size, "uploaded",
	        (json_int_t)f->upload_offset, "done", f->done, "header_sha256",
	        f->header_sha256[0] ? f->header_sha256 : NULL));
}

/*
 * The sender as a reader needs them: who, and the key that signed. Someone
 * from outside has no account key: their manifest is signed with a key of
 * its own, and what the server vouches for is the confirmed address.
 */
static json_t *
sender_json(struct db_conn *c, const struct msg_row *m)
{
	const char *id = m->sender_id;
	char kid[RAND_ID_LEN + 1];
	char *pk = NULL;
	struct user u;
	json_t *j;

	if (m->ext_email != NULL)
		return json_pack("{s:s,s:s,s:s}", "kind", "external", "name",
		    m->ext_name, "email", m->ext_email);
	if (users_by_id(c, id, &u) != 1)
		return json_pack("{s:s}", "user_id", id);
	/* A mailbox signs with the key version it had when it sent; a
	 * later re-key must not make its older messages look forged. */
	if (u.is_mailbox && mbx_db_signer(c, u.id, m->id, kid, &pk) == 1) {
		free(u.key_id);
		free(u.keys.ed25519_pk);
		u.key_id = xstrdup(kid);
		u.keys.ed25519_pk = pk;
	}
	j = json_pack("{s:s,s:s,s:s,s:s,s:s?,s:s?,s:o}", "kind", "account",
	    "user_id", u.id, "name", u.name, "email", u.email, "key_id",
	    u.key_id, "ed25519_pk", u.keys.ed25519_pk, "log",
	    api_kt_log(c, u.email, NULL, u.keys.ed25519_pk));
	user_release(&u);
	return j;
}

static json_t *
opt_int(int64_t v)
{
	return v ? json_integer(v) : json_null();
}

json_t *
message_doc(struct db_conn *c, const struct msg_row *m, int with_link)
{
	struct msg_sealed s;
	json_t *files = json_array(), *doc;

	files_of(c, m->id, add_file, files);
	if (msg_sealed_get(c, m->id, &s) != 1)
		memset(&s, 0, sizeof(s));
	doc = json_pack("{s:s,s:s,s:o,s:{s:s,s:s,s:s?,s:s},s:s,s:s,s:I,s:I,"
	                "s:o,s:o,s:o,s:s?}",
	    "id", m->id, "state", m->state, "sender", sender_json(c, m),
	    "recipient", "email", m->rcpt_email, "name", m->rcpt_name, "phone",
	    m->rcpt_phone, "kind", m->rcpt_kind, "subject", m->subject,
	    "reference", m->reference, "created_at", (json_int_t)m->created_at,
	    "upload_deadline", (json_int_t)m->upload_deadline, "sent_at",
	    opt_int(m->sent_at), "expires_at", opt_int(m->expires_at), "files",
	    files, "manifest", s.manifest);
	json_object_set_new(
	    doc, "delivery", json_string(m->strict ? "strict" : "standard"));
	if (with_link)
		json_object_set_new(doc, "link_stanza",
		    s.link_stanza ? json_string(s.link_stanza) : json_null());
	msg_sealed_release(&s);
	return doc;
}
