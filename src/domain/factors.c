/*
 * The second factor: proving one (TOTP, recovery code, WebAuthn
 * assertion), freshness and the administrator gate, recovery codes, and
 * the helpers of factors_enrol.c and factors_login.c. See factors.h.
 */
#include "util/common.h"

#include <ctype.h>
#include <sodium.h>

#include "db/db.h"
#include "db/factors_db.h"
#include "db/ratelimit_db.h"
#include "db/auditlog_db.h"
#include "domain/factors.h"
#include "domain/factors_int.h"
#include "domain/totp.h"
#include "notify/outbox.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/log.h"
#include "util/secrets.h"

#define FAIL_WINDOW 900
/* Crockford's base32: no i, l, o, u to misread. */
static const char code_abc[] = "0123456789abcdefghjkmnpqrstvwxyz";

void
factor_rp(const struct acct_env *env, struct webauthn_rp *rp)
{
	if (webauthn_rp_from_url(env->cfg->server_public_url, rp) == -1)
		memset(rp, 0, sizeof(*rp));
}

void
factor_challenge_id(
    const struct acct_env *env, const char *kind, const char *key, char out[48])
{
	char in[128];

	snprintf(in, sizeof(in), "%s:%s", kind, key);
	secrets_keyed_hash(env->sec, "factor-challenge", in, out);
	sodium_memzero(in, sizeof(in));
}

void
factor_new_challenge(char out[RAND_TOKEN_LEN + 1])
{
	unsigned char raw[WEBAUTHN_CHALLENGE_LEN];

	rand_bytes(raw, sizeof(raw));
	b64u_encode(out, RAND_TOKEN_LEN + 1, raw, sizeof(raw));
}

static void
totp_key(const struct acct_env *env, unsigned char key[32])
{
	crypto_kdf_derive_from_key(
	    key, 32, 1, "st-totp_", env->sec->server_key);
}

char *
factor_seal(const struct acct_env *env, const char *uid,
    const unsigned char *secret, size_t len)
{
	unsigned char key[32], box[256];
	unsigned long long clen = 0;
	size_t n = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
	char *out;

	if (len > sizeof(box) - n - crypto_aead_xchacha20poly1305_ietf_ABYTES)
		return NULL;
	totp_key(env, key);
	randombytes_buf(box, n);
	crypto_aead_xchacha20poly1305_ietf_encrypt(box + n, &clen, secret, len,
	    (const unsigned char *)uid, strlen(uid), NULL, box, key);
	sodium_memzero(key, sizeof(key));
	out = xmalloc(b64u_len(n + (size_t)clen) + 1);
	b64u_encode(out, b64u_len(n + (size_t)clen) + 1, box, n + (size_t)clen);
	return out;
}

int
factor_unseal(const struct acct_env *env, const char *uid, const char *sealed,
    unsigned char *secret, size_t len)
{
	unsigned char key[32], box[256];
	unsigned long long mlen = 0;
	size_t n = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
	long blen = b64u_decode(box, sizeof(box), sealed, strlen(sealed));
	int rc;

	if (blen < (long)(n + crypto_aead_xchacha20poly1305_ietf_ABYTES) ||
	    (size_t)blen - n - crypto_aead_xchacha20poly1305_ietf_ABYTES != len)
		return -1;
	totp_key(env, key);
	rc = crypto_aead_xchacha20poly1305_ietf_decrypt(secret, &mlen, NULL,
	    box + n, (unsigned long long)((size_t)blen - n),
	    (const unsigned char *)uid, strlen(uid), box, key);
	sodium_memzero(key, sizeof(key));
	return rc == 0 && mlen == len ? 0 : -1;
}

int
factor_fresh(struct db_conn *c, const struct acct_env *env, const char *uid,
    const char *session_hash)
{
	int64_t created = 0, at = 0, now = clock_now();
	int found, enrolled;

	ST_UNUSED(env);
	if ((found = fdb_session_times(c, session_hash, &created, &at)) != 1)
		return found == 0 ? 0 : -1;
	if (at > 0 && now - at <= FACTOR_FRESH)
		return 1;
	if ((enrolled = fdb_enrolled(c, uid)) == -1)
		return -1;
	/* Without a factor the login's password is the last proof. */
	return !enrolled && now - created <= FACTOR_FRESH;
}

/* The recovery code as stored: 10 letters, Crockford's reading. */
static int
code_normalise(const char *in, char out[11])
{
	size_t n = 0;

	for (; *in != '\0'; in++) {
		char ch = (char)tolower((unsigned char)*in);

		if (ch == ' ' || ch == '-')
			continue;
		if (ch == 'i' || ch == 'l')
			ch = '1';
		else if (ch == 'o')
			ch = '0';
		if (strchr(code_abc, ch) == NULL || n == 10)
			return -1;
		out[n++] = ch;
	}
	out[n] = '\0';
	return n == 10 ? 0 : -1;
}

static void
code_hash(
    const struct acct_env *env, const char *uid, const char *code, char out[48])
{
	char in[64];

	snprintf(in, sizeof(in), "%s:%s", uid, code);
	secrets_keyed_hash(env->sec, "recovery-code", in, out);
	sodium_memzero(in, sizeof(in));
}

int
factor_codes_make(struct db_conn *c, const struct acct_env *env,
    const char *uid, struct factor_codes *codes)
{
	char hashes[FACTOR_CODES][48], raw[11];
	const char *ptrs[FACTOR_CODES];
	unsigned char rnd[10];
	size_t i, j;
	int rc;

	for (i = 0; i < FACTOR_CODES; i++) {
		rand_bytes(rnd, sizeof(rnd));
		for (j = 0; j < 10; j++)
			raw[j] = code_abc[rnd[j] & 31];
		raw[10] = '\0';
		code_hash(env, uid, raw, hashes[i]);
		ptrs[i] = hashes[i];
		snprintf(codes->code[i], sizeof(codes->code[i]), "%.5s-%.5s",
		    raw, raw + 5);
	}
	sodium_memzero(raw, sizeof(raw));
	sodium_memzero(rnd, sizeof(rnd));
	rc = fdb_recovery_replace(c, uid, ptrs, FACTOR_CODES, clock_now()) ==
	        DB_OK ?
	    0 :
	    -1;
	codes->made = rc == 0;
	if (rc != 0)
		sodium_memzero(codes, sizeof(*codes));
	return rc;
}

int
factor_changed(struct db_conn *c, const struct acct_env *env,
    const struct user *u, const char *kind, const char *method)
{
	char detail[64], link[512];
	const char *params[] = { "name", u->name, "service", "SecureTransfer",
		"link", link, NULL };

	snprintf(detail, sizeof(detail), "{\"method\":\"%s\"}", method);
	snprintf(link, sizeof(link), "%s/account", env->cfg->server_public_url);
	if (audit_add(c, u->id, env->ip, kind, u->email, detail) != DB_OK)
		return -1;
	/* The owner hears of every change to how the account is guarded. */
	return outbox_queue_text(c, env->sec->outbox_key, "factor_changed",
	    u->lang, params, u->email, u->name, NULL);
}

static int
count_proofs(const struct factor_proof *p)
{
	return (p->totp != NULL) + (p->recovery != NULL) +
	    (p->credential_id != NULL);
}

static struct st_result
prove_totp(struct db_conn *c, const struct acct_env *env, const char *uid,
    const char *code)
{
	unsigned char secret[TOTP_SECRET_LEN];
	char *sealed = NULL;
	int confirmed = 0, found, used;
	int64_t created, step = 0;
	struct st_result r = st_res(
	    ST_UNAUTHORIZED, "wrong_code", "This code is not right");

	found = fdb_totp_get(c, uid, &sealed, &confirmed, &created);
	if (found == -1)
		r = ST_DB_ERROR;
	else if (found == 1 && confirmed &&
	    factor_unseal(env, uid, sealed, secret, sizeof(secret)) == 0 &&
	    totp_check(secret, sizeof(secret), code, clock_now(), &step)) {
		used = fdb_totp_use(c, uid, step);
		r = used == 1 ? ST_RESULT_OK :
		    used == 0 ? st_res(ST_UNAUTHORIZED, "code_used",
		                    "This code was used already; wait for the "
		                    "next one") :
		                ST_DB_ERROR;
	}
	sodium_memzero(secret, sizeof(secret));
	free(sealed);
	return r;
}

static struct st_result
prove_recovery(struct db_conn *c, const struct acct_env *env, const char *uid,
    const char *code)
{
	char norm[11], hash[48];
	int used;

	if (code_normalise(code, norm) == -1)
		return st_res(
		    ST_UNAUTHORIZED, "wrong_code", "This code is not right");
	code_hash(env, uid, norm, hash);
	sodium_memzero(norm, sizeof(norm));
	used = fdb_recovery_use(c, uid, hash, clock_now());
	return used == 1 ? ST_RESULT_OK :
	    used == 0    ? st_res(ST_UNAUTHORIZED, "wrong_code",
	                       "This code is not right or was used already") :
	                   ST_DB_ERROR;
}

struct cred_copy {
	char *public_key;
	int64_t alg, count;
};

static void
copy_cred(const struct fdb_cred *cr, void *arg)
{
	struct cred_copy *cc = arg;

	cc->public_key = xstrdup(cr->public_key);
	cc->alg = cr->alg;
	cc->count = cr->sign_count;
}

/* Decodes b64u field s (at most max bytes) into a heap buffer. */
static unsigned char *
b64u_dup(const char *s, size_t max, size_t *len)
{
	size_t sl = s != NULL ? strlen(s) : 0;
	unsigned char *out;
	long n;

	if (sl == 0 || sl > b64u_len(max))
		return NULL;
	out = xmalloc(max + 1);
	n = b64u_decode(out, max + 1, s, sl);
	if (n <= 0) {
		free(out);
		return NULL;
	}
	*len = (size_t)n;
	return out;
}

static struct st_result
prove_webauthn(struct db_conn *c, const struct acct_env *env, const char *uid,
    const char *challenge_id, const struct factor_proof *p)
{
	struct webauthn_rp rp;
	struct fdb_challenge ch;
	struct cred_copy cc = { 0 };
	unsigned char *cd = NULL, *ad = NULL, *sig = NULL;
	size_t cdl = 0, adl = 0, sigl = 0;
	uint32_t count = 0;
	uint8_t flags = 0;
	enum webauthn_err e;
	struct st_result r = st_res(ST_UNAUTHORIZED, "wrong_assertion",
	    "The passkey or security key was not accepted");
	int got, used;

	factor_rp(env, &rp);
	got = fdb_challenge_get(c, challenge_id, clock_now(), &ch);
	if (got != 1 || strcmp(ch.user_id, uid) != 0)
		return got == -1 ? ST_DB_ERROR :
		                   st_res(ST_UNAUTHORIZED, "challenge_expired",
		                       "Start again: the request ran out");
	got = fdb_cred_get(c, uid, p->credential_id, copy_cred, &cc);
	if (got != 1)
		return got == -1 ? ST_DB_ERROR : r;
	cd = b64u_dup(p->client_data, 8192, &cdl);
	ad = b64u_dup(p->auth_data, 8192, &adl);
	sig = b64u_dup(p->signature, 1024, &sigl);
	if (cd == NULL || ad == NULL || sig == NULL) {
		r = st_res(ST_INVALID, "bad_field", "credential");
		goto out;
	}
	e = webauthn_assert(&rp, ch.challenge, cd, cdl, ad, adl, sig, sigl,
	    cc.public_key, cc.alg, &count, &flags);
	if (e != WA_OK) {
		log_info(
		    "webauthn refused", "{s:s}", "why", webauthn_strerror(e));
		goto out;
	}
	/* The counter must grow (unless the key keeps none): a clone of a
	 * key lags behind the original. */
	if ((used = fdb_cred_used(
	         c, uid, p->credential_id, count, clock_now())) != 1) {
		if (used == 0)
			(void)audit_add(
			    c, uid, env->ip, "factor.counter", NULL, NULL);
		r = used == 0 ? st_res(ST_UNAUTHORIZED, "counter_mismatch",
		                    "This key's counter went back: it may "
		                    "have been copied") :
		                ST_DB_ERROR;
		goto out;
	}
	/* Each challenge answers once. */
	used = fdb_challenge_take(c, challenge_id);
	r = used == 1 ? ST_RESULT_OK :
	    used == 0 ? st_res(ST_UNAUTHORIZED, "challenge_expired",
	                    "Start again: the request ran out") :
	                ST_DB_ERROR;
out:
	free(cd);
	free(ad);
	free(sig);
	free(cc.public_key);
	return r;
}

struct st_result
factor_prove(struct db_conn *c, const struct acct_env *env, const char *uid,
    const char *challenge_id, const struct factor_proof *p)
{
	char key[64];
	struct st_result r;
	int64_t now = clock_now(), n;
	const char *method;

	if (count_proofs(p) != 1)
		return st_res(ST_INVALID, "bad_field",
		    "give one of: totp, recovery_code, credential");
	/* Counted before checking, so parallel guesses all count
	 * (SECURITY.md W13). */
	snprintf(key, sizeof(key), "factor:%s", uid);
	if ((n = ratelimit_hit(c, key, FAIL_WINDOW, now)) < 0)
		return ST_DB_ERROR;
	if (n > FACTOR_FAILURES)
		return st_res_after(ST_LIMITED, 900, "rate_limited",
		    "Too many attempts; try again later");
	if (p->totp != NULL) {
		method = "totp";
		r = prove_totp(c, env, uid, p->totp);
	} else if (p->recovery != NULL) {
		method = "recovery_code";
		r = prove_recovery(c, env, uid, p->recovery);
	} else {
		method = "webauthn";
		r = challenge_id != NULL ?
		    prove_webauthn(c, env, uid, challenge_id, p) :
		    st_res(ST_INVALID, "bad_field", "credential");
	}
	if (r.st == ST_OK)
		(void)ratelimit_undo(c, key, FAIL_WINDOW, now);
	else if (r.st == ST_UNAUTHORIZED || r.st == ST_UNAUTHORIZED) {
		char detail[48];

		snprintf(detail, sizeof(detail), "{\"method\":\"%s\"}", method);
		(void)audit_add(c, uid, env->ip, "factor.failed", NULL, detail);
	}
	return r;
}

int
factors_enrolled(const struct acct_env *env, const char *user_id)
{
	struct db_conn *c = db_get(env->db);
	int r = fdb_enrolled(c, user_id);

	db_put(c);
	return r;
}

static void
add_cred_info(const struct fdb_cred *cr, void *arg)
{
	struct factor_summary *s = arg;
	struct factor_cred_info *ci;

	s->creds = xreallocarray(s->creds, s->ncreds + 1, sizeof(*s->creds));
	ci = &s->creds[s->ncreds++];
	ci->id = xstrdup(cr->id);
	ci->name = xstrdup(cr->name);
	ci->created_at = cr->created_at;
	ci->last_used_at = cr->last_used_at;
}

void
factor_summary_release(struct factor_summary *s)
{
	size_t i;

	for (i = 0; i < s->ncreds; i++) {
		free(s->creds[i].id);
		free(s->creds[i].name);
	}
	free(s->creds);
	memset(s, 0, sizeof(*s));
}

void
factor_options_release(struct factor_options *o)
{
	size_t i;

	for (i = 0; i < o->ncred_ids; i++)
		free(o->cred_ids[i]);
	free(o->cred_ids);
	memset(o, 0, sizeof(*o));
}

struct st_result
factors_summary(const struct acct_env *env, const struct user *u,
    const char *session_hash, struct factor_summary *out)
{
	struct webauthn_rp rp;
	struct db_conn *c;
	char *sealed = NULL;
	int64_t created = 0, at = 0;
	int found;

	memset(out, 0, sizeof(*out));
	factor_rp(env, &rp);
	out->webauthn_available = rp.available;
	c = db_get(env->db);
	if (fdb_creds(c, u->id, add_cred_info, out) == -1 ||
	    (found = fdb_totp_get(
	         c, u->id, &sealed, &out->totp, &out->totp_since)) == -1 ||
	    (out->recovery_left = fdb_recovery_left(c, u->id)) < 0 ||
	    fdb_session_times(c, session_hash, &created, &at) == -1) {
		db_put(c);
		free(sealed);
		factor_summary_release(out);
		return ST_DB_ERROR;
	}
	db_put(c);
	free(sealed);
	if (found != 1)
		out->totp = 0;
	out->enrolled = out->ncreds > 0 || out->totp;
	out->fresh_until = at > 0 ? at + FACTOR_FRESH : 0;
	return ST_RESULT_OK;
}

struct st_result
factors_verify(const struct acct_env *env, const struct user *u,
    const char *session_hash, const struct factor_proof *p)
{
	char cid[48];
	struct db_conn *c = db_get(env->db);
	struct st_result r;

	factor_challenge_id(env, "verify", session_hash, cid);
	r = factor_prove(c, env, u->id, cid, p);
	if (r.st == ST_OK) {
		if (fdb_session_set_factor_at(c, session_hash, clock_now()) !=
		    DB_OK)
			r = ST_DB_ERROR;
		else
			(void)audit_add(
			    c, u->id, env->ip, "factor.verified", NULL, NULL);
	}
	db_put(c);
	return r;
}

struct st_result
factors_recovery_new(const struct acct_env *env, const struct user *u,
    const char *session_hash, struct factor_codes *codes)
{
	struct db_conn *c = db_get(env->db);
	struct st_result r = ST_DB_ERROR;
	int fresh, enrolled;

	memset(codes, 0, sizeof(*codes));
	if ((enrolled = fdb_enrolled(c, u->id)) == 0)
		r = st_res(ST_CONFLICT, "no_second_factor",
		    "Add a passkey or an authenticator app first");
	else if (enrolled == 1 &&
	    (fresh = factor_fresh(c, env, u->id, session_hash)) == 0)
		r = st_res(ST_UNAUTHORIZED, "step_up_required",
		    "Confirm with your second factor first");
	else if (enrolled == 1 && fresh == 1 && db_begin(c) == DB_OK) {
		if (factor_codes_make(c, env, u->id, codes) == 0 &&
		    factor_changed(c, env, u, "factor.recovery_codes",
		        "recovery_code") == 0 &&
		    db_commit(c) == DB_OK)
			r = ST_RESULT_OK;
		else {
			db_rollback(c);
			sodium_memzero(codes, sizeof(*codes));
		}
	}
	db_put(c);
	return r;
}

struct st_result
factors_admin_gate(
    const struct acct_env *env, const struct user *u, const char *session_hash)
{
	struct db_conn *c;
	int64_t created = 0, at = 0, hits;
	int enrolled, found;
	char key[64];

	if (!u->is_admin || u->member_id[0] != '\0')
		return st_res(ST_FORBIDDEN, "not_admin",
		    "This needs the administrator role");
	c = db_get(env->db);
	snprintf(key, sizeof(key), "admin:%s", u->id);
	hits = ratelimit_hit(c, key, 60, clock_now());
	enrolled = fdb_enrolled(c, u->id);
	found = enrolled == 1 ?
	    fdb_session_times(c, session_hash, &created, &at) :
	    0;
	db_put(c);
	if (enrolled == -1 || found == -1 || hits < 0)
		return st_res_after(
		    ST_BUSY, 1, "busy", "The server is busy; try again");
	if (hits > FACTOR_ADMIN_RATE)
		return st_res_after(ST_LIMITED, 900, "rate_limited",
		    "Too many requests; wait a minute");
	if (enrolled == 0)
		return st_res(ST_FORBIDDEN, "enrol_second_factor",
		    "Administrators need a second factor: add one first");
	if (found != 1 || at <= 0 || clock_now() - at > FACTOR_FRESH)
		return st_res(ST_UNAUTHORIZED, "step_up_required",
		    "Confirm with your second factor to continue");
	return ST_RESULT_OK;
}
