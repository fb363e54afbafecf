/* Creating, sending and aborting messages; see messages.h. */
#include "util/common.h"

#include <sodium.h>
#include <time.h>

#include "db/db.h"
#include "db/messages_db.h"
#include "db/requests_db.h"
#include "domain/access.h"
#include "domain/accounts.h"
#include "domain/delivery.h"
#include "domain/email.h"
#include "domain/filename.h"
#include "domain/directory.h"
#include "domain/messages.h"
#include "domain/msg_idem.h"
#include "domain/orgpolicy.h"
#include "domain/orgs.h"
#include "domain/phone.h"
#include "envelope/stf1.h"
#include "notify/outbox.h"
#include "store/blob.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/i18n.h"
#include "util/tz.h"
#include "util/log.h"
#include "util/secrets.h"

#define SUBJECT_MAX 200
#define REFERENCE_MAX 100
#define MANIFEST_MAX (1u << 20)
#define STANZA_LEN 80
#define LINK_STANZA_LEN 48
#define LINK_SEALED_LEN 60 /* nonce 12 || AES-GCM(S) 32 + 16 */

static const struct st_result ok = { ST_OK, NULL, NULL, 0 };

/* Text shown to people: no control characters, at most max characters. */
static int
text_ok(const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	for (; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return 0;
		if ((*p & 0xc0) != 0x80)
			n++;
	}
	return n <= max;
}

static int
b64u_len_ok(const char *s, size_t min, size_t max)
{
	unsigned char *tmp;
	long n;

	if (s == NULL || strlen(s) > b64u_len(max))
		return 0;
	tmp = xmalloc(max + 1);
	n = b64u_decode(tmp, max + 1, s, strlen(s));
	free(tmp);
	return n >= (long)min && n <= (long)max;
}

void
msg_created_release(struct msg_created *c)
{
	free(c->file_ids);
	free(c->ciphertext_sizes);
	user_release(&c->rcpt);
	sodium_memzero(c->r_srv, sizeof(c->r_srv));
}

/* Checks the files and works out the ciphertext sizes. */
static struct st_result
check_files(const struct msg_env *env, const struct msg_create_in *in,
    const struct org_effective *pol, struct msg_created *out,
    uint64_t *total_ct)
{
	const struct config *cfg = env->cfg;
	uint64_t total = 0, free_bytes, max;
	const char *code, *why;
	size_t i;

	if (in->nfiles == 0)
		return st_res(
		    ST_INVALID, "no_files", "add at least one document");
	if (in->nfiles > (size_t)cfg->send_max_files)
		return st_res(
		    ST_TOO_LARGE, "too_many_files", "too many documents");
	/* The organisation's limit, and a request's own below it. */
	max = (uint64_t)pol->max_message_bytes;
	if (in->max_bytes > 0 && (uint64_t)in->max_bytes < max)
		max = (uint64_t)in->max_bytes;
	out->ciphertext_sizes = xcalloc(in->nfiles, sizeof(uint64_t));
	*total_ct = 0;
	for (i = 0; i < in->nfiles; i++) {
		const struct msg_file_in *f = &in->files[i];

		if (filename_check(f->name, pol->extensions, &code, &why) == -1)
			return st_res(ST_INVALID, code, why);
		if (f->size > max - total)
			return st_res(ST_TOO_LARGE, "message_too_large",
			    "the documents are larger than allowed");
		total += f->size;
		if (stf1_ciphertext_size(f->size, STF1_LOG2_DEFAULT,
		        &out->ciphertext_sizes[i]) != STF1_OK ||
		    out->ciphertext_sizes[i] > UINT64_MAX - *total_ct)
			return st_res(ST_TOO_LARGE, "message_too_large",
			    "a document is too large");
		*total_ct += out->ciphertext_sizes[i];
	}
	if (blob_free_bytes(env->store, &free_bytes) == 0 &&
	    (free_bytes < *total_ct ||
	        free_bytes - *total_ct < (uint64_t)cfg->send_disk_reserve))
		return st_res(ST_NO_SPACE, "insufficient_storage",
		    "not enough storage space now; try again later");
	return ok;
}

/*
 * Strict or standard: the sender's organisation decides, and a sender may
 * choose only where it lets them. Documents from outside go to an
 * account: no link secret exists.
 */
static struct st_result
check_delivery(
    struct db_conn *c, const struct msg_create_in *in, struct msg_created *out)
{
	enum delivery_policy p;

	out->strict = 0;
	if (in->request_id != NULL)
		return ok;
	if (delivery_policy_of(c, in->sender->email, &p) == -1)
		return st_res(ST_ERROR, "internal", "database");
	return delivery_decide(p, in->delivery, &out->strict);
}

/* The recipient: an account (verified), or the link flow. */
static struct st_result
check_recipient(struct db_conn *c, const struct msg_create_in *in,
    const struct org_effective *pol, struct msg_created *out)
{
	const char *domain, *why;
	int connected, found;

	if (email_normalise(in->rcpt_email, out->rcpt_email,
	        sizeof(out->rcpt_email), &domain, &why) == -1)
		return st_res(ST_INVALID, "bad_email", why);
	if (!accounts_name_ok(in->rcpt_name))
		return st_res(ST_INVALID, "bad_name", "the recipient's name");
	if ((connected = orgs_is_connected(c, domain)) == -1)
		return st_res(ST_ERROR, "internal", "database");
	if (!connected && !pol->outsiders)
		return st_res(ST_FORBIDDEN, "outsiders_not_allowed",
		    "your organisation does not allow sending outside the "
		    "connected organisations");
	if (in->rcpt_phone[0] != '\0' &&
	    phone_normalise(in->rcpt_phone, pol->sms_prefixes, out->rcpt_phone,
	        sizeof(out->rcpt_phone), &why) == -1)
		return st_res(ST_INVALID, "bad_phone", why);
	if (!connected && out->rcpt_phone[0] == '\0')
		return st_res(ST_INVALID, "phone_required",
		    "a mobile number is needed for recipients outside the "
		    "connected organisations");
	found = directory_lookup(c, out->rcpt_email, &out->rcpt);
	if (found == -1)
		return st_res(ST_ERROR, "internal", "database");
	out->link = found == 0;
	/* The key the sender's pins trust (or a request's link named), or
	 * nothing: a key that changed in between is refused. */
	if (in->rcpt_key_id != NULL &&
	    (out->link || strcmp(out->rcpt.key_id, in->rcpt_key_id) != 0))
		return st_res(ST_CONFLICT, "key_changed",
		    "the recipient's key is not the one the sender expects");
	return check_delivery(c, in, out);
}

static struct st_result
insert_all(struct db_conn *c, const struct msg_env *env,
    const struct msg_create_in *in, struct msg_created *out, uint64_t total)
{
	struct msg_row m = { 0 };
	struct file_row f;
	size_t i;
	int64_t now = clock_now();

	memcpy(m.id, out->id, sizeof(m.id));
	memcpy(m.sender_id, in->sender->id, sizeof(m.sender_id));
	m.rcpt_email = out->rcpt_email;
	m.rcpt_name = (char *)(uintptr_t)in->rcpt_name;
	m.rcpt_phone = out->rcpt_phone[0] ? out->rcpt_phone : NULL;
	m.rcpt_user_id = out->link ? NULL : out->rcpt.id;
	m.rcpt_key_id = out->link ? NULL : out->rcpt.key_id;
	m.rcpt_kind = (char *)(uintptr_t)(out->link ? "link" : "account");
	m.strict = out->strict;
	/* The recipient's mail and SMS (U1): an account's own language, else
	 * the one the sender chose (Dutch by default). */
	snprintf(m.rcpt_lang, sizeof(m.rcpt_lang), "%s",
	    out->link ? i18n_lang(in->rcpt_lang) :
	                (out->rcpt.lang[0] ? out->rcpt.lang : "nl"));
	m.subject = (char *)(uintptr_t)in->subject;
	m.reference = (char *)(uintptr_t)in->reference;
	m.state = (char *)(uintptr_t) "uploading";
	m.total_size = (int64_t)total;
	m.created_at = now;
	m.upload_deadline = out->upload_deadline = now +
	    env->cfg->send_upload_window;
	if (in->request_id != NULL) {
		snprintf(
		    m.request_id, sizeof(m.request_id), "%s", in->request_id);
		m.ext_email = in->sender->email;
		m.ext_name = in->sender->name;
	}
	if (msg_insert(c, &m) != DB_OK ||
	    (out->link && msg_key_insert(c, out->id, out->r_srv) != DB_OK))
		return st_res(ST_ERROR, "internal", "database");
	for (i = 0; i < in->nfiles; i++) {
		memset(&f, 0, sizeof(f));
		memcpy(f.id, out->file_ids[i], sizeof(f.id));
		memcpy(f.message_id, out->id, sizeof(f.message_id));
		rand_id(f.object_key);
		f.idx = (int64_t)i;
		f.name = (char *)(uintptr_t)in->files[i].name;
		f.size = (int64_t)in->files[i].size;
		f.ciphertext_size = (int64_t)out->ciphertext_sizes[i];
		if (file_insert(c, &f) != DB_OK)
			return st_res(ST_ERROR, "internal", "database");
	}
	if (event_add_member(c, out->id, "created", in->sender->id,
	        in->sender->member_id, env->ip, NULL) != DB_OK)
		return st_res(ST_ERROR, "internal", "database");
	return ok;
}

struct st_result
messages_create(const struct msg_env *env, const struct msg_create_in *in,
    struct msg_created *out)
{
	struct org_effective *pol;
	struct st_result r;
	struct db_conn *c;
	uint64_t total = 0, total_ct;
	size_t i;
	int got;

	memset(out, 0, sizeof(*out));
	if (!text_ok(in->subject, SUBJECT_MAX) ||
	    !text_ok(in->reference, REFERENCE_MAX))
		return st_res(ST_INVALID, "bad_text",
		    "subject or reference too long or with control characters");
	/* The sender's organisation decides (for documents from outside:
	 * the recipient's). */
	c = db_get(env->db);
	pol = xmalloc(sizeof(*pol));
	got = orgpolicy_effective(c, env->cfg,
	    orgpolicy_domain_of(
	        in->request_id != NULL ? in->rcpt_email : in->sender->email),
	    pol);
	db_put(c);
	if (got == -1) {
		free(pol);
		return st_res(ST_ERROR, "internal", "database");
	}
	if ((r = check_files(env, in, pol, out, &total_ct)).st != ST_OK) {
		free(pol);
		return r;
	}
	for (i = 0; i < in->nfiles; i++)
		total += in->files[i].size;
	rand_id(out->id);
	out->file_ids = xcalloc(in->nfiles, sizeof(*out->file_ids));
	for (i = 0; i < in->nfiles; i++)
		rand_id(out->file_ids[i]);
	rand_token(out->r_srv);
	c = db_get(env->db);
	if ((r = check_recipient(c, in, pol, out)).st == ST_OK) {
		if (db_begin(c) != DB_OK)
			r = st_res(ST_ERROR, "internal", "database");
		else if ((r = msg_idem_check(c, in, out)).st != ST_OK ||
		    out->replayed ||
		    (r = insert_all(c, env, in, out, total)).st != ST_OK ||
		    (r = msg_idem_record(c, in, out)).st != ST_OK ||
		    db_commit(c) != DB_OK) {
			db_rollback(c);
			if (r.st == ST_OK && !out->replayed)
				r = st_res(ST_ERROR, "internal", "database");
		}
		/* Two requests with one key at once: the other one made it. */
		if (r.st == ST_CONFLICT && in->idem_key != NULL &&
		    strcmp(r.code, "idempotency_race") == 0)
			r = msg_idem_check(c, in, out);
	}
	db_put(c);
	free(pol);
	if (!out->link)
		sodium_memzero(out->r_srv, sizeof(out->r_srv));
	return r;
}

/* The recipient's mail (R1): who sent something, and the link. */
static int
queue_recipient_mail(struct db_conn *c, const struct msg_env *env,
    const struct user *sender, const struct msg_row *m, const char *secret)
{
	char link[512], expires[64];
	const char *kind;
	int rc;

	if (strcmp(m->rcpt_kind, "account") == 0)
		snprintf(link, sizeof(link), "%s/berichten/%s",
		    env->cfg->server_public_url, m->id);
	else if (m->strict)
		/* The page asks for the link the sender delivers. */
		snprintf(link, sizeof(link), "%s/r/%s",
		    env->cfg->server_public_url, m->id);
	else
		snprintf(link, sizeof(link), "%s/r/%s#%s",
		    env->cfg->server_public_url, m->id, secret);
	if (m->request_id[0] != '\0')
		kind = "message_external";
	else if (strcmp(m->rcpt_kind, "link") == 0 && m->strict)
		kind = m->rcpt_phone != NULL ? "message_strict_sms" :
		                               "message_strict";
	else
		kind = m->rcpt_phone != NULL ? "message_sms" : "message";
	/* In the reader's language, in Dutch time (Europe/Amsterdam). */
	i18n_datetime(m->rcpt_lang, m->expires_at, expires, sizeof(expires));
	{
		const char *params[] = { "name", m->rcpt_name, "sender",
			sender->name, "sender_email", sender->email, "link",
			link, "expires", expires, "service", "SecureTransfer",
			NULL };

		rc = outbox_queue_text(c, env->sec->outbox_key, kind,
		    m->rcpt_lang, params, m->rcpt_email, m->rcpt_name, m->id);
	}
	sodium_memzero(link, sizeof(link));
	return rc;
}

static struct st_result
check_send(const struct msg_env *env, struct db_conn *c,
    const struct msg_row *m, const struct user *sender,
    const struct msg_send_in *in)
{
	int link = strcmp(m->rcpt_kind, "link") == 0;
	struct st_result r = access_manage(env, c, sender, m);

	if (r.st != ST_OK)
		return r;
	if (strcmp(m->state, "uploading") != 0)
		return st_res(ST_FORBIDDEN, "already_sent", "already sent");
	if (m->upload_deadline < clock_now())
		return st_res(ST_GONE, "upload_window_closed",
		    "the upload window has closed");
	if (!b64u_len_ok(in->manifest, 12 + 16 + 2, MANIFEST_MAX) ||
	    (in->self_stanza[0] != '\0' &&
	        !b64u_len_ok(in->self_stanza, STANZA_LEN, STANZA_LEN)))
		return st_res(
		    ST_INVALID, "bad_field", "manifest or self_stanza");
	if (!link && !b64u_len_ok(in->rcpt_stanza, STANZA_LEN, STANZA_LEN))
		return st_res(ST_INVALID, "bad_field", "recipient_stanza");
	if (link &&
	    (!b64u_len_ok(in->link_auth_hash, 32, 32) ||
	        !b64u_len_ok(
	            in->link_stanza, LINK_STANZA_LEN, LINK_STANZA_LEN)))
		return st_res(ST_INVALID, "bad_field", "link");
	/* Strict: S must never reach the server, so a client that sends it
	 * anyway is refused before anything is stored or mailed. */
	if (link && m->strict && in->link_secret[0] != '\0')
		return st_res(ST_INVALID, "link_secret_refused",
		    "this message is sent in strict mode: the link secret must "
		    "not be sent to the server");
	if (link && !m->strict && !b64u_len_ok(in->link_secret, 32, 32))
		return st_res(ST_INVALID, "bad_field", "link_secret");
	if (in->link_secret_sealed[0] != '\0' &&
	    (!link || !m->strict ||
	        !b64u_len_ok(
	            in->link_secret_sealed, LINK_SEALED_LEN, LINK_SEALED_LEN)))
		return st_res(ST_INVALID, "bad_field", "link_secret_sealed");
	return ok;
}

/* The self-stanza given now, or stored while uploading: one is needed. */
static int
self_stanza_ok(struct db_conn *c, const struct msg_row *m, const struct user *s,
    const struct msg_send_in *in)
{
	char *have;

	if (in->self_stanza[0] != '\0')
		return stanza_put(c, m->id, s->key_id, "self",
		           in->self_stanza) == DB_OK;
	have = stanza_get(c, m->id, s->key_id);
	free(have);
	return have != NULL;
}

static struct st_result
send_tx(struct db_conn *c, const struct msg_env *env, const struct user *s,
    struct msg_row *m, const struct msg_send_in *in)
{
	int link = strcmp(m->rcpt_kind, "link") == 0;
	int64_t now = clock_now();
	int64_t left = files_not_done(c, m->id);
	struct msg_link_gate gate = { in->link_auth_hash, in->link_stanza,
		in->link_secret_sealed[0] ? in->link_secret_sealed : NULL };
	struct org_effective pol;

	if (left != 0)
		return left < 0 ? st_res(ST_ERROR, "internal", "database") :
		                  st_res(ST_FORBIDDEN, "upload_incomplete",
		                      "not every document is uploaded");
	/* Someone from outside has no key of their own to keep K under. */
	if (s->key_id != NULL && !self_stanza_ok(c, m, s, in))
		return st_res(ST_INVALID, "self_stanza_missing",
		    "the sender's own stanza is missing");
	if (m->request_id[0] != '\0') {
		int used = req_use(c, m->request_id, m->id, now);

		if (used != 1)
			return used < 0 ?
			    st_res(ST_ERROR, "internal", "database") :
			    st_res(ST_GONE, "request_used",
			        "this request has been used already");
	}
	/* The retention of the sender's organisation (from outside: the
	 * recipient's). */
	if (orgpolicy_effective(c, env->cfg,
	        orgpolicy_domain_of(
	            m->request_id[0] != '\0' ? m->rcpt_email : s->email),
	        &pol) == -1)
		return st_res(ST_ERROR, "internal", "database");
	m->expires_at = now + pol.retention;
	if ((!link &&
	        stanza_insert(c, m->id, m->rcpt_key_id, "recipient",
	            in->rcpt_stanza) != DB_OK) ||
	    msg_set_sent(c, m->id, in->manifest, link ? &gate : NULL, now,
	        m->expires_at) != DB_OK ||
	    db_changes(c) != 1 ||
	    event_add_member(c, m->id, "sent", s->id, s->member_id, env->ip,
	        NULL) != DB_OK ||
	    queue_recipient_mail(c, env, s, m, in->link_secret) == -1)
		return st_res(ST_ERROR, "internal", "database");
	return ok;
}

struct st_result
messages_send(const struct msg_env *env, const struct user *sender,
    const char *id, const struct msg_send_in *in)
{
	struct st_result r;
	struct msg_row m;
	struct db_conn *c = db_get(env->db);
	int found = msg_get(c, id, &m);

	if (found != 1) {
		db_put(c);
		return found == 0 ?
		    st_res(ST_NOT_FOUND, "not_found", "Not found") :
		    st_res(ST_ERROR, "internal", "database");
	}
	if ((r = check_send(env, c, &m, sender, in)).st == ST_OK) {
		if (db_begin(c) != DB_OK)
			r = st_res(ST_ERROR, "internal", "database");
		else if ((r = send_tx(c, env, sender, &m, in)).st != ST_OK ||
		    db_commit(c) != DB_OK) {
			db_rollback(c);
			if (r.st == ST_OK)
				r = st_res(ST_ERROR, "internal", "database");
		}
	}
	msg_row_release(&m);
	db_put(c);
	return r;
}

struct st_result
messages_put_self_stanza(const struct msg_env *env, const struct user *sender,
    const char *id, const char *stanza)
{
	struct st_result r;
	struct msg_row m;
	struct db_conn *c;
	int found;

	if (!b64u_len_ok(stanza, STANZA_LEN, STANZA_LEN))
		return st_res(ST_INVALID, "bad_field", "self_stanza");
	c = db_get(env->db);
	found = rand_id_valid(id) ? msg_get(c, id, &m) : 0;
	if (found == 1 && sender->key_id != NULL)
		r = access_manage(env, c, sender, &m);
	else
		r = st_res(ST_NOT_FOUND, "not_found", "Not found");
	if (r.st == ST_OK && strcmp(m.state, "uploading") != 0)
		r = st_res(ST_FORBIDDEN, "already_sent", "already sent");
	else if (r.st == ST_OK &&
	    stanza_put(c, id, sender->key_id, "self", stanza) != DB_OK)
		r = st_res(ST_ERROR, "internal", "database");
	if (found == 1)
		msg_row_release(&m);
	db_put(c);
	return r;
}

static void
delete_blob(const struct file_row *f, void *arg)
{
	blob_delete(arg, f->object_key);
}

int
messages_abort(const struct msg_env *env, const char *id, const char *why)
{
	struct db_conn *c = db_get(env->db);
	int rc = 0;

	if (db_begin(c) != DB_OK) {
		db_put(c);
		return -1;
	}
	if (msg_transition(c, id, "uploading", "aborted") == 1 &&
	    event_add(c, id, "aborted", NULL, NULL, why) == DB_OK &&
	    msg_keys_delete(c, id) == DB_OK && db_commit(c) == DB_OK) {
		/* Objects go after the commit: a crash leaves an aborted
		 * message whose objects the purge removes. */
		files_of(c, id, delete_blob, env->store);
		log_info("message aborted", "{s:s,s:s}", "message_id", id,
		    "why", why);
		rc = 1;
	} else
		db_rollback(c);
	db_put(c);
	return rc;
}

int
messages_abort_overdue(const struct msg_env *env)
{
	char ids[64][RAND_ID_LEN + 1];
	struct db_conn *c = db_get(env->db);
	int n, i, done = 0;

	n = msgs_overdue(c, clock_now(), ids, (int)ST_ARRAY_LEN(ids));
	db_put(c);
	for (i = 0; i < n; i++)
		if (messages_abort(env, ids[i], "upload window closed") == 1)
			done++;
	return n < 0 ? -1 : done;
}
