/*
 * Registration, verification, pre-login and login; the password flows
 * are in accounts_pw.c. See accounts.h.
 */
#include "util/common.h"

#include <sodium.h>

#include "db/db.h"
#include "db/users_db.h"
#include "db/tokens_db.h"
#include "db/ratelimit_db.h"
#include "db/auditlog_db.h"
#include "domain/accounts.h"
#include "domain/accounts_int.h"
#include "domain/email.h"
#include "domain/orgs.h"
#include "envelope/keyid.h"
#include "notify/outbox.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/log.h"
#include "util/secrets.h"

void
accounts_session_hash(const struct secrets *sec, const char *token,
    char out[ACCT_SESSION_LEN + 1])
{
	secrets_keyed_hash(sec, "session", token, out);
}

void
acct_token_hash(const struct secrets *sec, const char *token,
    char out[ACCT_SESSION_LEN + 1])
{
	secrets_keyed_hash(sec, "mail-token", token, out);
}

int
accounts_name_ok(const char *name)
{
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)name;

	if (*p == '\0' || *p == ' ')
		return 0;
	for (; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return 0;
		if ((*p & 0xc0) != 0x80)
			n++; /* count characters, not bytes */
	}
	return n <= 100 && p[-1] != ' ';
}

int
acct_queue_mail(struct db_conn *c, const struct acct_env *env, const char *kind,
    const char *lang, const char *to, const char *to_name, const char *path,
    const char *token, const char *words)
{
	char link[1024];
	const char *params[] = { "name", to_name != NULL ? to_name : "", "link",
		link, "service", "SecureTransfer", "email", to, "words",
		words != NULL ? words : "", NULL };
	int rc;

	snprintf(link, sizeof(link), "%s%s%s%s", env->cfg->server_public_url,
	    path != NULL ? path : "/", token != NULL ? "#" : "",
	    token != NULL ? token : "");
	rc = outbox_queue_text(
	    c, env->sec->outbox_key, kind, lang, params, to, to_name, NULL);
	sodium_memzero(link, sizeof(link));
	return rc;
}

/* A new single-use token of kind for account uid, queued in a mail. */
int
acct_mail_token(struct db_conn *c, const struct acct_env *env, const char *uid,
    const char *lang, const char *to, const char *to_name, const char *kind,
    const char *path, int64_t ttl)
{
	char token[RAND_TOKEN_LEN + 1], hash[ACCT_SESSION_LEN + 1];
	int64_t now = clock_now();
	int rc = -1;

	rand_token(token);
	acct_token_hash(env->sec, token, hash);
	if (tokens_insert(c, hash, kind, uid, now, now + ttl) == DB_OK &&
	    acct_queue_mail(
	        c, env, kind, lang, to, to_name, path, token, NULL) == 0)
		rc = 0;
	sodium_memzero(token, sizeof(token));
	return rc;
}

void
acct_key_words(const char *key_id, char *out, size_t len)
{
	unsigned char id[KEYID_LEN];

	out[0] = '\0';
	if (key_id != NULL &&
	    b64u_decode(id, sizeof(id), key_id, strlen(key_id)) == KEYID_LEN)
		(void)keyid_words(out, len, id);
}

int
acct_limited(struct db_conn *c, const char *key, int64_t window, int64_t limit,
    int64_t *retry_after)
{
	int64_t now = clock_now(), n = ratelimit_hit(c, key, window, now);

	if (n < 0)
		return -1;
	if (n <= limit)
		return 0;
	if (retry_after != NULL)
		*retry_after = window - now % window;
	return 1;
}

void
acct_audit(struct db_conn *c, const struct acct_env *env, const char *actor,
    const char *kind, const char *subject)
{
	if (audit_add(c, actor, env->ip, kind, subject, NULL) != DB_OK)
		log_error("audit write failed", "{s:s}", "kind", kind);
}

int
acct_kdf_ok(const struct user_keys *k)
{
	return k->kdf_m >= ACCT_KDF_MIN_M && k->kdf_m <= 4194304 &&
	    k->kdf_t >= ACCT_KDF_MIN_T && k->kdf_t <= 64 && k->kdf_p == 1;
}

/* For unknown addresses: stable values from HMAC(server.key, email). */
static void
fake_prelogin(
    const struct acct_env *env, const char *email, struct acct_prelogin *out)
{
	char h[ACCT_SESSION_LEN + 1];
	unsigned char raw[32];

	secrets_keyed_hash(env->sec, "prelogin-user", email, h);
	(void)b64u_decode(raw, sizeof(raw), h, strlen(h));
	b64u_encode(out->user_id, sizeof(out->user_id), raw, 16);
	secrets_keyed_hash(env->sec, "prelogin-salt", email, h);
	(void)b64u_decode(raw, sizeof(raw), h, strlen(h));
	b64u_encode(out->salt, sizeof(out->salt), raw, 16);
	out->m = ACCT_KDF_MIN_M;
	out->t = ACCT_KDF_MIN_T;
	out->p = 1;
}

void
accounts_prelogin(
    const struct acct_env *env, const char *email_in, struct acct_prelogin *out)
{
	char email[EMAIL_MAX + 1];
	const char *domain, *why;
	struct user u;
	struct db_conn *c;
	int found;

	if (email_normalise(email_in, email, sizeof(email), &domain, &why) ==
	    -1)
		snprintf(email, sizeof(email), "%.*s", EMAIL_MAX, email_in);
	c = db_get(env->db);
	found = users_by_email(c, email, &u);
	db_put(c);
	if (found == 1 && u.keys.kdf_salt != NULL) {
		snprintf(out->user_id, sizeof(out->user_id), "%s", u.id);
		snprintf(out->salt, sizeof(out->salt), "%s", u.keys.kdf_salt);
		out->m = u.keys.kdf_m;
		out->t = u.keys.kdf_t;
		out->p = u.keys.kdf_p;
	} else
		fake_prelogin(env, email, out);
	if (found == 1)
		user_release(&u);
}
