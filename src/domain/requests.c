/* Requests and drop-offs; see requests.h. */
#include "util/common.h"

#include <sodium.h>
#include <time.h>

#include "db/db.h"
#include "db/requests_db.h"
#include "db/users_db.h"
#include "db/ratelimit_db.h"
#include "db/auditlog_db.h"
#include "domain/accounts.h"
#include "domain/delivery.h"
#include "domain/email.h"
#include "domain/orgs.h"
#include "domain/requests.h"
#include "notify/outbox.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/i18n.h"
#include "util/tz.h"
#include "util/log.h"

#define OK st_res(ST_OK, NULL, NULL)
#define NOT_FOUND st_res(ST_NOT_FOUND, "not_found", "Not found")
#define FAILED st_res(ST_ERROR, "internal", "database")

static int
token_ok(const char *t)
{
	return t != NULL && strlen(t) == RAND_TOKEN_LEN &&
	    strspn(t,
	        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	        "0123456789-_") == RAND_TOKEN_LEN;
}

static void
token_hash(const struct msg_env *env, const char *token,
    char out[SECRETS_HASH_LEN + 1])
{
	secrets_keyed_hash(env->sec, "request-token", token, out);
}

/* The accompanying text: line breaks and tabs, no other controls. */
static int
text_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	for (; *p != '\0'; p++) {
		if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
			return 0;
		if ((*p & 0xc0) != 0x80)
			n++;
	}
	return n <= REQ_TEXT_MAX;
}

/* The outside person's mail (Q2): who asks, why, and the link. */
static int
request_mail(struct db_conn *c, const struct msg_env *env,
    const struct user *employee, const struct req_row *r, const char *token)
{
	char link[512], expires[64];
	int rc;

	snprintf(link, sizeof(link), "%s/q/%s#%s", env->cfg->server_public_url,
	    token, r->key_id);
	/* In the reader's language, in Dutch time (Europe/Amsterdam). */
	i18n_datetime(r->lang, r->expires_at, expires, sizeof(expires));
	{
		const char *params[] = { "name", r->ext_name, "sender",
			employee->name, "sender_email", employee->email, "text",
			r->text, "link", link, "expires", expires, "service",
			"SecureTransfer", NULL };

		rc = outbox_queue_text(c, env->sec->outbox_key, "request",
		    r->lang, params, r->ext_email, r->ext_name, r->id);
	}
	sodium_memzero(link, sizeof(link));
	return rc;
}

static struct st_result
create_checks(struct db_conn *c, const struct user *employee,
    const struct req_create_in *in, char *email, size_t emaillen, int *strict)
{
	const char *domain, *why;
	enum delivery_policy policy;
	struct st_result r;
	int connected;

	if (employee->key_id == NULL)
		return st_res(ST_FORBIDDEN, "no_key", "no key pair yet");
	if (!accounts_name_ok(in->name))
		return st_res(ST_INVALID, "bad_name", "the recipient's name");
	if (email_normalise(in->email, email, emaillen, &domain, &why) == -1)
		return st_res(ST_INVALID, "bad_email", why);
	if (!text_ok(in->text))
		return st_res(ST_INVALID, "bad_text",
		    "the text is too long or has control characters");
	/* The link must name the key the documents will be wrapped to. */
	if (in->fp == NULL || strcmp(in->fp, employee->key_id) != 0)
		return st_res(ST_CONFLICT, "key_mismatch",
		    "the key in the link is not your current key; reload");
	if ((connected = orgs_is_connected(c, domain)) == -1)
		return FAILED;
	if (connected)
		return st_res(ST_INVALID, "connected_domain",
		    "this address belongs to a connected organisation; send "
		    "a message to it instead");
	if (delivery_policy_of(c, employee->email, &policy) == -1)
		return FAILED;
	if ((r = delivery_decide(policy, in->delivery, strict)).st != ST_OK)
		return r;
	return OK;
}

static struct st_result
create_tx(struct db_conn *c, const struct msg_env *env,
    const struct user *employee, struct req_row *r, const char *token,
    int strict)
{
	char key[RAND_ID_LEN + 16], h[SECRETS_HASH_LEN + 1];
	int64_t n;

	snprintf(key, sizeof(key), "requests:%s", employee->id);
	if ((n = ratelimit_hit(c, key, 86400, r->created_at)) < 0)
		return FAILED;
	if (n > env->cfg->requests_per_day)
		return st_res_after(ST_LIMITED, 3600, "rate_limited",
		    "too many requests today; try again tomorrow");
	token_hash(env, token, h);
	/* Strict: the employee mails the link; the server writes none. */
	if (req_insert(c, r, h) != DB_OK ||
	    (!strict && request_mail(c, env, employee, r, token) == -1) ||
	    audit_add(c, employee->id, env->ip, "request.created", r->id,
	        strict ? "{\"delivery\":\"strict\"}" : NULL) != DB_OK)
		return FAILED;
	return OK;
}

struct st_result
requests_create(const struct msg_env *env, const struct user *employee,
    const struct req_create_in *in, struct req_created *out)
{
	char email[EMAIL_MAX + 1], token[RAND_TOKEN_LEN + 1];
	struct db_conn *c = db_get(env->db);
	struct req_row r = { 0 };
	struct st_result res;
	int strict = 0;

	memset(out, 0, sizeof(*out));
	if ((res = create_checks(
	         c, employee, in, email, sizeof(email), &strict))
	        .st != ST_OK) {
		db_put(c);
		return res;
	}
	rand_id(r.id);
	rand_token(token);
	snprintf(r.kind, sizeof(r.kind), "request");
	snprintf(r.lang, sizeof(r.lang), "%s", i18n_lang(in->lang));
	memcpy(r.employee_id, employee->id, sizeof(r.employee_id));
	snprintf(r.key_id, sizeof(r.key_id), "%s", employee->key_id);
	r.ext_email = email;
	r.ext_name = (char *)(uintptr_t)in->name;
	r.text = (char *)(uintptr_t)in->text;
	r.created_at = r.confirmed_at = clock_now();
	r.expires_at = r.created_at + env->cfg->requests_ttl;
	if (db_begin(c) != DB_OK)
		res = st_res(ST_BUSY, "busy", "The server is busy; try again");
	else if ((res = create_tx(c, env, employee, &r, token, strict)).st ==
	        ST_OK ||
	    res.st == ST_LIMITED)
		/* A refusal keeps its count of the day. */
		res = db_commit(c) == DB_OK ? res : FAILED;
	else
		db_rollback(c);
	db_put(c);
	if (res.st == ST_OK && strict)
		memcpy(out->token, token, sizeof(token));
	sodium_memzero(token, sizeof(token));
	memcpy(out->id, r.id, RAND_ID_LEN + 1);
	out->expires_at = r.expires_at;
	out->strict = strict;
	return res;
}

void
req_view_release(struct req_view *v)
{
	req_row_release(&v->r);
	user_release(&v->employee);
}

struct st_result
requests_open(const struct msg_env *env, const char *token, struct req_view *v)
{
	char h[SECRETS_HASH_LEN + 1];
	struct db_conn *c;
	struct st_result res = OK;
	int found;

	memset(v, 0, sizeof(*v));
	if (!token_ok(token))
		return NOT_FOUND;
	token_hash(env, token, h);
	c = db_get(env->db);
	if ((found = req_by_token_hash(c, h, &v->r)) != 1)
		res = found == 0 ? NOT_FOUND : FAILED;
	else if (v->r.used_at != 0)
		res = st_res(ST_GONE, "request_used",
		    "These documents have been sent already; this link "
		    "works once");
	else if (v->r.expires_at <= clock_now())
		res = st_res(
		    ST_GONE, "request_expired", "This request has expired");
	else if (v->r.confirmed_at == 0)
		res = st_res(ST_FORBIDDEN, "not_confirmed",
		    "Confirm your e-mail address with the code first");
	else if ((found = users_by_id(c, v->r.employee_id, &v->employee)) != 1)
		res = found == 0 ? NOT_FOUND : FAILED;
	else if (v->employee.key_id == NULL ||
	    v->employee.keys.x25519_pk == NULL) {
		user_release(&v->employee);
		res = NOT_FOUND;
	}
	db_put(c);
	if (res.st != ST_OK) {
		req_row_release(&v->r);
		return res;
	}
	v->max_bytes = strcmp(v->r.kind, "dropoff") == 0 ?
	    env->cfg->dropoff_max_message_bytes :
	    env->cfg->requests_max_message_bytes;
	if (v->max_bytes > env->cfg->send_max_message_bytes)
		v->max_bytes = env->cfg->send_max_message_bytes;
	return OK;
}

struct user *
requests_principal(const struct req_view *v)
{
	struct user *u = xcalloc(1, sizeof(*u));

	snprintf(u->id, sizeof(u->id), "%s", MSG_EXTERNAL);
	u->email = xstrdup(v->r.ext_email);
	u->name = xstrdup(v->r.ext_name);
	u->verified = 1;
	memcpy(u->scope_msg, v->r.message_id, sizeof(u->scope_msg));
	return u;
}

struct st_result
requests_message_create(const struct msg_env *env, const struct req_view *v,
    const struct msg_create_in *in, struct msg_created *out)
{
	struct msg_create_in m = *in;
	struct user *sender;
	struct st_result res;
	struct db_conn *c;
	int64_t made;

	memset(out, 0, sizeof(*out)); /* released by the caller on any path */
	/* Each start after a reload makes a message: a token gets a few. */
	c = db_get(env->db);
	made = req_messages(c, v->r.id);
	db_put(c);
	if (made < 0)
		return FAILED;
	if (made >= REQ_MESSAGES_MAX)
		return st_res_after(ST_LIMITED, 3600, "rate_limited",
		    "this link was started too often; ask for a new one");
	sender = requests_principal(v);
	if (v->r.message_id[0] != '\0' &&
	    messages_abort(env, v->r.message_id, "started again") == -1) {
		user_release(sender);
		free(sender);
		return FAILED;
	}
	m.sender = sender;
	m.rcpt_email = v->employee.email;
	m.rcpt_name = v->employee.name;
	m.rcpt_phone = "";
	m.request_id = v->r.id;
	m.rcpt_key_id = v->r.key_id;
	m.max_bytes = v->max_bytes;
	res = messages_create(env, &m, out);
	if (res.st == ST_OK) {
		c = db_get(env->db);
		if (req_set_message(c, v->r.id, out->id) != DB_OK)
			res = FAILED;
		db_put(c);
	}
	user_release(sender);
	free(sender);
	return res;
}
