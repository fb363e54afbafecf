/* What a reader of a message is handed; see msg_view.h. */
#include "util/common.h"

#include "db/db.h"
#include "db/delivery_db.h"
#include "db/mailboxes_db.h"
#include "db/users_db.h"
#include "domain/msg_view.h"

static void
add_file(const struct file_row *f, void *arg)
{
	struct msg_view *v = arg;

	v->files = xreallocarray(v->files, v->nfiles + 1, sizeof(*v->files));
	v->files[v->nfiles] = *f;
	v->files[v->nfiles].name = xstrdup(f->name);
	v->nfiles++;
}

/* The sender's account; a mailbox with the key version it had when it
 * sent: a later re-key must not make its older messages look forged. */
static void
read_sender(struct db_conn *c, const struct msg_row *m, struct msg_view *v)
{
	char kid[RAND_ID_LEN + 1];
	struct user *u = &v->sender;
	char *pk = NULL;

	if (m->ext_email != NULL || users_by_id(c, m->sender_id, u) != 1)
		return;
	v->sender_found = 1;
	if (u->is_mailbox && mbx_db_signer(c, u->id, m->id, kid, &pk) == 1) {
		free(u->key_id);
		free(u->keys.ed25519_pk);
		u->key_id = xstrdup(kid);
		u->keys.ed25519_pk = pk;
	}
	kt_log_read(c, u->email, NULL, u->keys.ed25519_pk, &v->sender_log);
}

/* What a sender who reloads needs to finish a message still uploading. */
static void
read_resume(struct db_conn *c, const struct msg_row *m, struct msg_view *v)
{
	if (strcmp(m->rcpt_kind, "link") == 0)
		v->r_srv = msg_key_get(c, m->id);
	else if (m->rcpt_user_id != NULL &&
	    users_by_id(c, m->rcpt_user_id, &v->rcpt) == 1) {
		v->rcpt_found = 1;
		kt_log_read(c, v->rcpt.email, v->rcpt.keys.x25519_pk, NULL,
		    &v->rcpt_log);
	}
}

static void
read_sender_view(struct db_conn *c, const struct msg_row *m,
    const struct user *reader, struct msg_view *v)
{
	struct otp_row o;

	if (reader->is_mailbox)
		v->stanza = stanza_of_role(c, m->id, "self", v->stanza_kid);
	else if (reader->key_id != NULL) {
		v->stanza = stanza_get(c, m->id, reader->key_id);
		snprintf(
		    v->stanza_kid, sizeof(v->stanza_kid), "%s", reader->key_id);
	}
	v->otp_locked = otp_get(c, m->id, &o) == 1 && o.locked;
	if (m->strict && strcmp(m->rcpt_kind, "link") == 0)
		v->link_secret_sealed = delivery_db_secret_sealed(c, m->id);
	if (strcmp(m->state, "uploading") == 0)
		read_resume(c, m, v);
}

void
msg_view_get(const struct msg_env *env, const struct msg_row *m,
    const struct user *reader, enum msg_view_as as, struct msg_view *out)
{
	struct db_conn *c = db_get(env->db);
	const char *kid;

	memset(out, 0, sizeof(*out));
	files_of(c, m->id, add_file, out);
	if (msg_sealed_get(c, m->id, &out->sealed) != 1)
		memset(&out->sealed, 0, sizeof(out->sealed));
	read_sender(c, m, out);
	if (as == MSG_VIEW_SENDER)
		read_sender_view(c, m, reader, out);
	else if (as == MSG_VIEW_RECIPIENT) {
		/* A mailbox keeps its older key versions; an account has
		 * only its current key. */
		kid = reader->is_mailbox ? m->rcpt_key_id : reader->key_id;
		out->stanza = kid ? stanza_get(c, m->id, kid) : NULL;
		if (out->stanza != NULL)
			snprintf(out->stanza_kid, sizeof(out->stanza_kid), "%s",
			    kid);
	} else
		out->r_srv = msg_key_get(c, m->id);
	db_put(c);
}

void
msg_view_release(struct msg_view *v)
{
	size_t i;

	for (i = 0; i < v->nfiles; i++)
		file_row_release(&v->files[i]);
	free(v->files);
	msg_sealed_release(&v->sealed);
	if (v->sender_found)
		user_release(&v->sender);
	kt_log_release(&v->sender_log);
	free(v->stanza);
	free(v->link_secret_sealed);
	if (v->r_srv != NULL)
		free_secret(v->r_srv, strlen(v->r_srv));
	if (v->rcpt_found)
		user_release(&v->rcpt);
	kt_log_release(&v->rcpt_log);
	memset(v, 0, sizeof(*v));
}
