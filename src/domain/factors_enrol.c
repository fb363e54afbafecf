/*
 * Adding and removing second factors: WebAuthn credentials and the
 * authenticator app. The first factor of an account comes with a set of
 * recovery codes. See factors.h.
 */
#include "util/common.h"

#include <sodium.h>

#include "db/db.h"
#include "db/factors_db.h"
#include "db/ratelimit_db.h"
#include "domain/factors.h"
#include "domain/factors_int.h"
#include "domain/totp.h"
#include "util/clock.h"

#define TOTP_PENDING_TTL 3600 /* seconds to confirm a new app */
#define CRED_ID_B64_MAX 1364 /* b64u of WEBAUTHN_ID_MAX bytes */

static const struct st_result stale = { ST_UNAUTHORIZED, "step_up_required",
	"Confirm with your second factor first", 0 };
static const struct st_result login_again = { ST_UNAUTHORIZED, "login_required",
	"Log in again to change how your account is guarded", 0 };

/* The refusal when this session may not change the factors now. */
static struct st_result
need_fresh(struct db_conn *c, const struct acct_env *env, const struct user *u,
    const char *session_hash)
{
	int fresh = factor_fresh(c, env, u->id, session_hash);
	int enrolled = fresh == 0 ? fdb_enrolled(c, u->id) : 0;

	if (fresh == -1 || enrolled == -1)
		return ST_DB_ERROR;
	if (fresh == 1)
		return ST_RESULT_OK;
	return enrolled ? stale : login_again;
}

static void
add_id(const struct fdb_cred *cr, void *arg)
{
	struct factor_options *o = arg;

	o->cred_ids = xreallocarray(
	    o->cred_ids, o->ncred_ids + 1, sizeof(*o->cred_ids));
	o->cred_ids[o->ncred_ids++] = xstrdup(cr->id);
}

struct st_result
factors_webauthn_begin(const struct acct_env *env, const struct user *u,
    const char *session_hash, const char *purpose, struct factor_options *out)
{
	struct webauthn_rp rp;
	struct fdb_challenge ch = { 0 };
	struct st_result r = ST_RESULT_OK;
	char cid[48];
	struct db_conn *c;
	int reg = strcmp(purpose, "register") == 0;

	memset(out, 0, sizeof(*out));
	factor_rp(env, &rp);
	if (!rp.available)
		return st_res(ST_CONFLICT, "webauthn_unavailable",
		    "Passkeys need the service on a host name, not an IP "
		    "address; use an authenticator app");
	c = db_get(env->db);
	if (reg)
		r = need_fresh(c, env, u, session_hash);
	if (r.st == ST_OK && fdb_creds(c, u->id, add_id, out) == -1)
		r = ST_DB_ERROR;
	if (r.st == ST_OK && !reg && out->ncred_ids == 0)
		r = st_res(ST_CONFLICT, "no_credentials",
		    "This account has no passkey or security key");
	if (r.st == ST_OK) {
		snprintf(ch.user_id, sizeof(ch.user_id), "%s", u->id);
		snprintf(ch.purpose, sizeof(ch.purpose), "%s",
		    reg ? "register" : "verify");
		factor_new_challenge(ch.challenge);
		ch.expires_at = clock_now() + FACTOR_CHALLENGE_TTL;
		factor_challenge_id(env, ch.purpose, session_hash, cid);
		if (fdb_challenge_put(c, cid, &ch) != DB_OK)
			r = ST_DB_ERROR;
	}
	db_put(c);
	if (r.st != ST_OK) {
		factor_options_release(out);
		return r;
	}
	memcpy(out->challenge, ch.challenge, sizeof(out->challenge));
	snprintf(out->rp_id, sizeof(out->rp_id), "%s", rp.id);
	return r;
}

/* A credential's name: 1..FACTOR_NAME_MAX characters, no controls. */
static int
name_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	for (; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return 0;
		if ((*p & 0xc0) != 0x80)
			n++;
	}
	return n >= 1 && n <= FACTOR_NAME_MAX;
}

/* Decodes b64u s of at most max bytes: heap, or NULL. */
static unsigned char *
decode(const char *s, size_t max, size_t *len)
{
	unsigned char *out;
	long n;

	if (strlen(s) == 0 || strlen(s) > b64u_len(max))
		return NULL;
	out = xmalloc(max + 1);
	if ((n = b64u_decode(out, max + 1, s, strlen(s))) <= 0) {
		free(out);
		return NULL;
	}
	*len = (size_t)n;
	return out;
}

/* The first factor also brings recovery codes and counts as fresh. */
static int
after_add(struct db_conn *c, const struct acct_env *env, const struct user *u,
    const char *session_hash, int first, struct factor_codes *codes,
    const char *method)
{
	if (first && factor_codes_make(c, env, u->id, codes) == -1)
		return -1;
	if (fdb_session_set_factor_at(c, session_hash, clock_now()) != DB_OK)
		return -1;
	return factor_changed(c, env, u, "factor.added", method);
}

static struct st_result
store_credential(struct db_conn *c, const struct acct_env *env,
    const struct user *u, const char *session_hash, const char *cid,
    const char *name, const struct webauthn_credential *wc,
    struct factor_codes *codes)
{
	char id[CRED_ID_B64_MAX + 1];
	struct fdb_cred cr = { 0 };
	enum db_status st;
	int first = fdb_enrolled(c, u->id) == 0;

	b64u_encode(id, sizeof(id), wc->id, wc->id_len);
	cr.id = id;
	cr.public_key = wc->public_key;
	cr.alg = wc->alg;
	cr.sign_count = wc->sign_count;
	cr.name = name;
	if (db_begin(c) != DB_OK)
		return ST_DB_ERROR;
	/* The challenge answers once: taken in the same transaction. */
	if (fdb_challenge_take(c, cid) != 1) {
		db_rollback(c);
		return st_res(ST_UNAUTHORIZED, "challenge_expired",
		    "Start again: the request ran out");
	}
	st = fdb_cred_insert(c, u->id, &cr, clock_now());
	if (st == DB_CONSTRAINT) {
		db_rollback(c);
		return st_res(ST_CONFLICT, "credential_exists",
		    "This key is registered already");
	}
	if (st != DB_OK ||
	    after_add(c, env, u, session_hash, first, codes, "webauthn") ==
	        -1 ||
	    db_commit(c) != DB_OK) {
		db_rollback(c);
		sodium_memzero(codes, sizeof(*codes));
		return ST_DB_ERROR;
	}
	return ST_RESULT_OK;
}

struct st_result
factors_webauthn_add(const struct acct_env *env, const struct user *u,
    const char *session_hash, const char *name, const char *client_data,
    const char *att_obj, struct factor_codes *codes)
{
	struct webauthn_rp rp;
	struct webauthn_credential wc = { 0 };
	struct fdb_challenge ch;
	struct st_result r;
	unsigned char *cd = NULL, *ao = NULL;
	size_t cdl = 0, aol = 0;
	enum webauthn_err e;
	char cid[48];
	struct db_conn *c;
	int got;

	memset(codes, 0, sizeof(*codes));
	if (!name_ok(name))
		return st_res(
		    ST_INVALID, "bad_name", "A name has 1 to 64 characters");
	cd = decode(client_data, 8192, &cdl);
	ao = decode(att_obj, 16384, &aol);
	if (cd == NULL || ao == NULL) {
		free(cd);
		free(ao);
		return st_res(ST_INVALID, "bad_field", "credential");
	}
	factor_rp(env, &rp);
	factor_challenge_id(env, "register", session_hash, cid);
	c = db_get(env->db);
	got = fdb_challenge_get(c, cid, clock_now(), &ch);
	if (got != 1 || strcmp(ch.user_id, u->id) != 0)
		r = got == -1 ? ST_DB_ERROR :
		                st_res(ST_UNAUTHORIZED, "challenge_expired",
		                    "Start again: the request ran out");
	else if ((e = webauthn_register(
	              &rp, ch.challenge, cd, cdl, ao, aol, &wc)) != WA_OK)
		r = st_res(
		    ST_INVALID, "webauthn_refused", webauthn_strerror(e));
	else
		r = store_credential(
		    c, env, u, session_hash, cid, name, &wc, codes);
	db_put(c);
	webauthn_credential_release(&wc);
	free(cd);
	free(ao);
	return r;
}

/* Removing factor kind: refused for an administrator's last one. */
static struct st_result
removable(struct db_conn *c, const struct acct_env *env, const struct user *u,
    const char *session_hash)
{
	struct st_result r = need_fresh(c, env, u, session_hash);
	int64_t n;

	if (r.st != ST_OK)
		return r;
	if ((n = fdb_count(c, u->id)) < 0)
		return ST_DB_ERROR;
	if (n <= 1 && u->is_admin)
		return st_res(ST_FORBIDDEN, "admin_needs_factor",
		    "An administrator keeps at least one second factor");
	return ST_RESULT_OK;
}

/* After a removal: without factors the recovery codes go too. */
static int
after_remove(struct db_conn *c, const struct acct_env *env,
    const struct user *u, const char *method)
{
	int enrolled = fdb_enrolled(c, u->id);

	if (enrolled == -1 ||
	    (enrolled == 0 && fdb_recovery_delete(c, u->id) != DB_OK))
		return -1;
	return factor_changed(c, env, u, "factor.removed", method);
}

struct st_result
factors_webauthn_remove(const struct acct_env *env, const struct user *u,
    const char *session_hash, const char *cred_id)
{
	struct db_conn *c = db_get(env->db);
	struct st_result r = removable(c, env, u, session_hash);
	int gone;

	if (r.st == ST_OK) {
		if (db_begin(c) != DB_OK)
			r = ST_DB_ERROR;
		else if ((gone = fdb_cred_delete(c, u->id, cred_id)) != 1) {
			db_rollback(c);
			r = gone == 0 ?
			    st_res(ST_NOT_FOUND, "not_found", "Not found") :
			    ST_DB_ERROR;
		} else if (after_remove(c, env, u, "webauthn") == -1 ||
		    db_commit(c) != DB_OK) {
			db_rollback(c);
			r = ST_DB_ERROR;
		}
	}
	db_put(c);
	return r;
}

static void
uri_escape(char *out, size_t outlen, const char *in)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (; *in != '\0' && o + 4 < outlen; in++) {
		unsigned char ch = (unsigned char)*in;

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || strchr("-._~", ch) != NULL)
			out[o++] = (char)ch;
		else {
			out[o++] = '%';
			out[o++] = hex[ch >> 4];
			out[o++] = hex[ch & 15];
		}
	}
	out[o] = '\0';
}

struct st_result
factors_totp_begin(const struct acct_env *env, const struct user *u,
    const char *session_hash, char secret_b32[TOTP_B32_LEN + 1],
    char uri[FACTOR_URI_MAX])
{
	unsigned char secret[TOTP_SECRET_LEN];
	char label[300], *sealed = NULL, *have = NULL;
	int confirmed = 0, found;
	int64_t created;
	struct db_conn *c = db_get(env->db);
	struct st_result r = need_fresh(c, env, u, session_hash);

	secret_b32[0] = uri[0] = '\0';
	if (r.st != ST_OK)
		goto out;
	if ((found = fdb_totp_get(c, u->id, &have, &confirmed, &created)) ==
	    -1) {
		r = ST_DB_ERROR;
		goto out;
	}
	if (found == 1 && confirmed) {
		r = st_res(ST_CONFLICT, "totp_exists",
		    "An authenticator app is set up already; remove it first");
		goto out;
	}
	rand_bytes(secret, sizeof(secret));
	sealed = factor_seal(env, u->id, secret, sizeof(secret));
	if (sealed == NULL ||
	    fdb_totp_put(c, u->id, sealed, clock_now()) != DB_OK) {
		r = ST_DB_ERROR;
		goto out;
	}
	totp_base32(secret_b32, TOTP_B32_LEN + 1, secret, sizeof(secret));
	uri_escape(label, sizeof(label), u->email);
	snprintf(uri, FACTOR_URI_MAX,
	    "otpauth://totp/SecureTransfer:%s?secret=%s&issuer=SecureTransfer"
	    "&algorithm=SHA1&digits=%d&period=%d",
	    label, secret_b32, TOTP_DIGITS, TOTP_PERIOD);
out:
	db_put(c);
	sodium_memzero(secret, sizeof(secret));
	free(sealed);
	free(have);
	return r;
}

struct st_result
factors_totp_confirm(const struct acct_env *env, const struct user *u,
    const char *session_hash, const char *code, struct factor_codes *codes)
{
	unsigned char secret[TOTP_SECRET_LEN];
	char *sealed = NULL, key[64];
	int confirmed = 0, found, first;
	int64_t created = 0, step = 0, now = clock_now(), n;
	struct db_conn *c = db_get(env->db);
	struct st_result r = ST_DB_ERROR;

	memset(codes, 0, sizeof(*codes));
	snprintf(key, sizeof(key), "factor:%s", u->id);
	if ((n = ratelimit_hit(c, key, 900, now)) < 0)
		goto out;
	if (n > FACTOR_FAILURES) {
		r = st_res_after(ST_LIMITED, 900, "rate_limited",
		    "Too many attempts; try again later");
		goto out;
	}
	found = fdb_totp_get(c, u->id, &sealed, &confirmed, &created);
	if (found == -1)
		goto out;
	if (found == 0 || confirmed || now - created > TOTP_PENDING_TTL) {
		r = st_res(ST_NOT_FOUND, "no_pending_totp",
		    "Start setting up the app again");
		goto out;
	}
	if (factor_unseal(env, u->id, sealed, secret, sizeof(secret)) == -1 ||
	    !totp_check(secret, sizeof(secret), code, now, &step)) {
		r = st_res(
		    ST_UNAUTHORIZED, "wrong_code", "This code is not right");
		goto out;
	}
	(void)ratelimit_undo(c, key, 900, now);
	if ((first = fdb_enrolled(c, u->id)) == -1 || db_begin(c) != DB_OK)
		goto out;
	if (fdb_totp_confirm(c, u->id, step, now) == DB_OK &&
	    after_add(c, env, u, session_hash, !first, codes, "totp") == 0 &&
	    db_commit(c) == DB_OK)
		r = ST_RESULT_OK;
	else {
		db_rollback(c);
		sodium_memzero(codes, sizeof(*codes));
	}
out:
	db_put(c);
	sodium_memzero(secret, sizeof(secret));
	free(sealed);
	return r;
}

struct st_result
factors_totp_remove(
    const struct acct_env *env, const struct user *u, const char *session_hash)
{
	struct db_conn *c = db_get(env->db);
	struct st_result r = removable(c, env, u, session_hash);
	int gone;

	if (r.st == ST_OK) {
		if (db_begin(c) != DB_OK)
			r = ST_DB_ERROR;
		else if ((gone = fdb_totp_delete(c, u->id)) != 1) {
			db_rollback(c);
			r = gone == 0 ? st_res(ST_NOT_FOUND, "not_found",
			                    "No authenticator app is set up") :
			                ST_DB_ERROR;
		} else if (after_remove(c, env, u, "totp") == -1 ||
		    db_commit(c) != DB_OK) {
			db_rollback(c);
			r = ST_DB_ERROR;
		}
	}
	db_put(c);
	return r;
}
