/* The message document; see message_doc.h. */
#include "util/common.h"

#include "api/kt_json.h"
#include "api/message_doc.h"
#include "domain/msg_view.h"

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
 * The sender as a reader needs them: who, and the key that signed (for a
 * mailbox the key version it sent with). Someone from outside has no
 * account key: their manifest is signed with a key of its own, and what
 * the server vouches for is the confirmed address.
 */
static json_t *
sender_json(const struct msg_row *m, const struct msg_view *v)
{
	const struct user *u = &v->sender;

	if (m->ext_email != NULL)
		return json_pack("{s:s,s:s,s:s}", "kind", "external", "name",
		    m->ext_name, "email", m->ext_email);
	if (!v->sender_found)
		return json_pack("{s:s}", "user_id", m->sender_id);
	return json_pack("{s:s,s:s,s:s,s:s,s:s?,s:s?,s:o}", "kind", "account",
	    "user_id", u->id, "name", u->name, "email", u->email, "key_id",
	    u->key_id, "ed25519_pk", u->keys.ed25519_pk, "log",
	    api_kt_log_json(&v->sender_log));
}

static json_t *
opt_int(int64_t v)
{
	return v ? json_integer(v) : json_null();
}

json_t *
message_doc(const struct msg_row *m, const struct msg_view *v, int with_link)
{
	const struct msg_sealed *s = &v->sealed;
	json_t *files = json_array(), *doc;
	size_t i;

	for (i = 0; i < v->nfiles; i++)
		add_file(&v->files[i], files);
	doc = json_pack("{s:s,s:s,s:o,s:{s:s,s:s,s:s?,s:s},s:s,s:s,s:I,s:I,"
	                "s:o,s:o,s:o,s:s?}",
	    "id", m->id, "state", m->state, "sender", sender_json(m, v),
	    "recipient", "email", m->rcpt_email, "name", m->rcpt_name, "phone",
	    m->rcpt_phone, "kind", m->rcpt_kind, "subject", m->subject,
	    "reference", m->reference, "created_at", (json_int_t)m->created_at,
	    "upload_deadline", (json_int_t)m->upload_deadline, "sent_at",
	    opt_int(m->sent_at), "expires_at", opt_int(m->expires_at), "files",
	    files, "manifest", s->manifest);
	json_object_set_new(
	    doc, "delivery", json_string(m->strict ? "strict" : "standard"));
	if (with_link)
		json_object_set_new(doc, "link_stanza",
		    s->link_stanza ? json_string(s->link_stanza) : json_null());
	return doc;
}
