/*
 * The public drop-off (Q4; SECURITY.md §1.6): anyone may send documents
 * to one of the configured addresses, after a proof of work (no
 * third-party CAPTCHA), within per-IP, per-address and total limits, and
 * once they confirm their own e-mail address with a code. This page is
 * the spam and malware vector that ended Firefox Send; every limit is
 * counted in the database before the work it guards.
 */
#include "util/common.h"

#include <sodium.h>

#include "db/db.h"
#include "db/requests_db.h"
#include "db/users_db.h"
#include "db/ratelimit_db.h"
#include "db/auditlog_db.h"
#include "domain/accounts.h"
#include "domain/email.h"
#include "domain/requests.h"
#include "notify/outbox.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/i18n.h"

#define OK st_res(ST_OK, NULL, NULL)
#define FAILED st_res(ST_ERROR, "internal", "database")
#define BAD_POW \
	st_res(ST_INVALID, "pow_invalid", \
	    "the proof of work is not valid; reload the page")
/* A drop-off token is for one visit: a day to confirm, upload and send. */
#define DROPOFF_TTL 86400
/* A proof-of-work challenge is good for this long, and once. */
#define POW_TTL 600
#define NONCE_MAX 32

int
dropoff_addresses(const struct msg_env *env, dropoff_fn fn, void *arg)
{
	char *copy = xstrdup(env->cfg->dropoff_addresses), *tok, *save = NULL;
	char email[EMAIL_MAX + 1];
	const char *domain, *why;
	struct db_conn *c = db_get(env->db);
	struct user u;
	int n = 0;

	for (tok = strtok_r(copy, ", ", &save); tok != NULL;
	     tok = strtok_r(NULL, ", ", &save)) {
		if (email_normalise(tok, email, sizeof(email), &domain, &why) ==
		        -1 ||
		    users_by_email(c, email, &u) != 1)
			continue;
		/* Only an account that can decrypt is offered. */
		if (u.verified && u.key_id != NULL &&
		    u.keys.x25519_pk != NULL) {
			fn(&u, arg);
			n++;
		}
		user_release(&u);
	}
	db_put(c);
	free(copy);
	return n;
}

struct find {
	const char *email;
	struct user *out;
	int found;
};

static void
find_cb(const struct user *u, void *arg)
{
	struct find *f = arg;

	if (f->found || strcmp(u->email, f->email) != 0)
		return;
	memcpy(f->out->id, u->id, sizeof(f->out->id));
	f->out->name = xstrdup(u->name);
	f->out->email = xstrdup(u->email);
	f->out->key_id = xstrdup(u->key_id);
	f->found = 1;
}

void
dropoff_challenge(const struct msg_env *env, char *out, size_t outlen)
{
	char payload[64], rnd[RAND_ID_LEN + 1], mac[SECRETS_HASH_LEN + 1];

	rand_id(rnd);
	snprintf(
	    payload, sizeof(payload), "%lld.%s", (long long)clock_now(), rnd);
	secrets_keyed_hash(env->sec, "pow", payload, mac);
	snprintf(out, outlen, "%s.%s", payload, mac);
}

static int
leading_zero_bits(const unsigned char *h, size_t len)
{
	int n = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (h[i] == 0) {
			n += 8;
			continue;
		}
		for (unsigned b = h[i]; !(b & 0x80u); b <<= 1)
			n++;
		break;
	}
	return n;
}

int
dropoff_pow_parse(
    const char *challenge, const char *nonce, struct pow_parts *out)
{
	const char *dot1, *dot2;
	size_t plen;

	if (challenge == NULL || nonce == NULL || strlen(nonce) == 0 ||
	    strlen(nonce) > NONCE_MAX ||
	    strspn(nonce, "0123456789abcdefghijklmnopqrstuvwxyz") !=
	        strlen(nonce) ||
	    (dot1 = strchr(challenge, '.')) == NULL ||
	    (dot2 = strchr(dot1 + 1, '.')) == NULL ||
	    (plen = (size_t)(dot2 - challenge)) >= sizeof(out->payload) ||
	    dot2 - dot1 - 1 != RAND_ID_LEN ||
	    strlen(dot2 + 1) != SECRETS_HASH_LEN ||
	    strspn(challenge, "0123456789") != (size_t)(dot1 - challenge) ||
	    dot1 == challenge || dot1 - challenge > 19)
		return -1;
	memcpy(out->payload, challenge, plen);
	out->payload[plen] = '\0';
	memcpy(out->rnd, dot1 + 1, RAND_ID_LEN);
	out->rnd[RAND_ID_LEN] = '\0';
	memcpy(out->mac, dot2 + 1, SECRETS_HASH_LEN + 1);
	out->ts = strtoll(challenge, NULL, 10);
	return 0;
}

/*
 * The challenge is ours (MAC), recent, and SHA-256(challenge ":" nonce)
 * starts with dropoff.pow_bits zero bits.
 */
static int
pow_ok(const struct msg_env *env, const char *challenge, const char *nonce,
    struct pow_parts *p)
{
	char mac[SECRETS_HASH_LEN + 1], in[200];
	unsigned char h[crypto_hash_sha256_BYTES];

	if (dropoff_pow_parse(challenge, nonce, p) == -1)
		return 0;
	secrets_keyed_hash(env->sec, "pow", p->payload, mac);
	if (sodium_memcmp(mac, p->mac, SECRETS_HASH_LEN) != 0 ||
	    p->ts > clock_now() || clock_now() - p->ts > POW_TTL)
		return 0;
	snprintf(in, sizeof(in), "%s:%s", challenge, nonce);
	crypto_hash_sha256(h, (const unsigned char *)in, strlen(in));
	return leading_zero_bits(h, sizeof(h)) >= env->cfg->dropoff_pow_bits;
}

/* One more hit of key in its window; 1 over limit, 0 under, -1 error. */
static int
over(struct db_conn *c, const char *key, int64_t window, int64_t limit)
{
	int64_t n = ratelimit_hit(c, key, window, clock_now());

	return n < 0 ? -1 : n > limit;
}

static struct st_result
limits(struct db_conn *c, const struct msg_env *env, const char *rnd,
    int64_t ts, const char *email)
{
	char key[EMAIL_MAX + 32];
	int o;

	/* Spent once: a window of one second at the challenge's time. */
	snprintf(key, sizeof(key), "pow:%s", rnd);
	if ((o = (int)ratelimit_hit(c, key, 1, ts)) != 1)
		return o < 0 ? FAILED : BAD_POW;
	snprintf(key, sizeof(key), "dropoff-ip:%s", env->ip ? env->ip : "-");
	if ((o = over(c, key, 3600, env->cfg->dropoff_per_ip_hour)) != 0)
		goto limited;
	snprintf(key, sizeof(key), "dropoff-address:%s", email);
	if ((o = over(c, key, 86400, env->cfg->dropoff_per_address_day)) != 0)
		goto limited;
	if ((o = over(
	         c, "dropoff-total", 86400, env->cfg->dropoff_total_day)) != 0)
		goto limited;
	return OK;
limited:
	return o < 0 ? FAILED :
	               st_res_after(ST_LIMITED, 3600, "rate_limited",
	                   "too many drop-offs; try again later");
}

static void
code_hash(const struct msg_env *env, const char *id, const char *code,
    char out[SECRETS_HASH_LEN + 1])
{
	char in[RAND_ID_LEN + REQ_CODE_LEN + 2];

	snprintf(in, sizeof(in), "%s:%s", id, code);
	secrets_keyed_hash(env->sec, "dropoff-code", in, out);
	sodium_memzero(in, sizeof(in));
}

static int
code_mail(struct db_conn *c, const struct msg_env *env, const struct req_row *r,
    const char *to_name, const char *code)
{
	char minutes[24];
	const char *params[] = { "name", r->ext_name, "code", code, "minutes",
		minutes, "recipient", to_name, "service", "SecureTransfer",
		NULL };

	snprintf(minutes, sizeof(minutes), "%lld",
	    (long long)(env->cfg->dropoff_code_ttl / 60));
	return outbox_queue_text(c, env->sec->outbox_key, "dropoff_code",
	    r->lang, params, r->ext_email, r->ext_name, r->id);
}

static struct st_result
start_tx(struct db_conn *c, const struct msg_env *env, struct req_row *r,
    const struct user *to, const char *rnd, int64_t ts, const char *token)
{
	char code[REQ_CODE_LEN + 1], h[SECRETS_HASH_LEN + 1];
	struct st_result res;

	if ((res = limits(c, env, rnd, ts, r->ext_email)).st != ST_OK)
		return res;
	snprintf(code, sizeof(code), "%06u", randombytes_uniform(1000000));
	code_hash(env, r->id, code, r->code_hash);
	secrets_keyed_hash(env->sec, "request-token", token, h);
	if (req_insert(c, r, h) != DB_OK ||
	    code_mail(c, env, r, to->name, code) == -1 ||
	    audit_add(c, NULL, env->ip, "dropoff.started", r->id, NULL) !=
	        DB_OK)
		res = FAILED;
	sodium_memzero(code, sizeof(code));
	return res;
}

struct st_result
dropoff_start(const struct msg_env *env, const struct dropoff_in *in,
    char token[RAND_TOKEN_LEN + 1], int64_t *code_expires_at)
{
	char email[EMAIL_MAX + 1], to[EMAIL_MAX + 1];
	struct pow_parts pow;
	struct user target = { 0 };
	struct find f = { to, &target, 0 };
	struct req_row r = { 0 };
	const char *domain, *why;
	struct st_result res;
	struct db_conn *c;

	if (!pow_ok(env, in->challenge, in->nonce, &pow))
		return BAD_POW;
	if (email_normalise(in->to, to, sizeof(to), &domain, &why) == -1 ||
	    (dropoff_addresses(env, find_cb, &f), !f.found))
		return st_res(ST_INVALID, "unknown_recipient",
		    "choose one of the listed addresses");
	if (!accounts_name_ok(in->name))
		res = st_res(ST_INVALID, "bad_name", "your name");
	else if (email_normalise(
	             in->email, email, sizeof(email), &domain, &why) == -1)
		res = st_res(ST_INVALID, "bad_email", why);
	else {
		rand_id(r.id);
		rand_token(token);
		snprintf(r.kind, sizeof(r.kind), "dropoff");
		snprintf(r.lang, sizeof(r.lang), "%s", i18n_lang(in->lang));
		memcpy(r.employee_id, target.id, sizeof(r.employee_id));
		snprintf(r.key_id, sizeof(r.key_id), "%s", target.key_id);
		r.ext_email = email;
		r.ext_name = (char *)(uintptr_t)in->name;
		r.text = (char *)(uintptr_t) "";
		r.created_at = clock_now();
		r.expires_at = r.created_at + DROPOFF_TTL;
		r.code_expires_at = *code_expires_at = r.created_at +
		    env->cfg->dropoff_code_ttl;
		c = db_get(env->db);
		if (db_begin(c) != DB_OK)
			res = st_res(
			    ST_BUSY, "busy", "The server is busy; try again");
		else if ((res = start_tx(
		              c, env, &r, &target, pow.rnd, pow.ts, token))
		             .st == ST_OK ||
		    res.st == ST_LIMITED)
			res = db_commit(c) == DB_OK ? res : FAILED;
		else
			db_rollback(c);
		db_put(c);
		if (res.st != ST_OK)
			sodium_memzero(token, RAND_TOKEN_LEN + 1);
	}
	user_release(&target);
	return res;
}

/* Checks code inside the caller's transaction (as receive.c does). */
static struct st_result
check_code(struct db_conn *c, const struct msg_env *env,
    const struct req_row *r, const char *code, int64_t *left)
{
	int64_t max = env->cfg->dropoff_code_attempts, n;
	char h[SECRETS_HASH_LEN + 1];
	int right = 0;

	if (r->failures >= max)
		return st_res(
		    ST_LOCKED, "locked", "Too many wrong codes; start again");
	if (code != NULL && strlen(code) == REQ_CODE_LEN &&
	    strspn(code, "0123456789") == REQ_CODE_LEN &&
	    r->code_hash[0] != '\0') {
		code_hash(env, r->id, code, h);
		right = sodium_memcmp(h, r->code_hash, SECRETS_HASH_LEN) == 0;
	}
	if (right && r->code_expires_at <= clock_now())
		return st_res(ST_UNAUTHORIZED, "code_expired",
		    "This code has expired; start again");
	if (right)
		return req_confirm(c, r->id, clock_now()) == DB_OK ? OK :
		                                                     FAILED;
	if ((n = req_code_fail(c, r->id)) < 0)
		return FAILED;
	*left = n >= max ? 0 : max - n;
	return n >= max ?
	    st_res(ST_LOCKED, "locked", "Too many wrong codes; start again") :
	    st_res(ST_UNAUTHORIZED, "wrong_code", "This code is not right");
}

struct st_result
dropoff_verify(const struct msg_env *env, const char *token, const char *code,
    int64_t *attempts_left)
{
	char h[SECRETS_HASH_LEN + 1];
	struct st_result res;
	struct req_row r;
	struct db_conn *c;
	int found;

	*attempts_left = env->cfg->dropoff_code_attempts;
	if (token == NULL || strlen(token) != RAND_TOKEN_LEN)
		return st_res(ST_NOT_FOUND, "not_found", "Not found");
	secrets_keyed_hash(env->sec, "request-token", token, h);
	c = db_get(env->db);
	if (db_begin(c) != DB_OK) {
		db_put(c);
		return st_res(ST_BUSY, "busy", "The server is busy; try again");
	}
	found = req_by_token_hash(c, h, &r);
	if (found != 1 || strcmp(r.kind, "dropoff") != 0)
		res = found < 0 ?
		    FAILED :
		    st_res(ST_NOT_FOUND, "not_found", "Not found");
	else if (r.used_at != 0 || r.expires_at <= clock_now())
		res = st_res(ST_GONE, "request_expired",
		    "This drop-off has expired; start again");
	else if (r.confirmed_at != 0)
		res = OK;
	else
		res = check_code(c, env, &r, code, attempts_left);
	/* Wrong codes are kept: the count is what the lock rests on. */
	if (res.st == ST_OK || res.st == ST_UNAUTHORIZED || res.st == ST_LOCKED)
		res = db_commit(c) == DB_OK ? res : FAILED;
	else
		db_rollback(c);
	if (found == 1)
		req_row_release(&r);
	db_put(c);
	return res;
}
