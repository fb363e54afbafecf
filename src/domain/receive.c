/* Receiving: the link and code gates, capabilities, access; receive.h. */
#include "util/common.h"

#include <sodium.h>

#include "db/db.h"
#include "db/messages_db.h"
#include "db/receive_db.h"
#include "db/users_db.h"
#include "db/ratelimit_db.h"
#include "domain/access.h"
#include "domain/receive.h"
#include "notify/outbox.h"
#include "notify/sms.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/secrets.h"
#include "util/tz.h"

#define OK st_res(ST_OK, NULL, NULL)
#define NOT_FOUND st_res(ST_NOT_FOUND, "not_found", "Not found")
#define FAILED st_res(ST_ERROR, NULL, NULL)

/* 1 when link_auth (b64u of 32 bytes) hashes to the stored b64u hash. */
static int
link_auth_ok(const char *link_auth, const char *stored)
{
	unsigned char raw[32], h[crypto_hash_sha256_BYTES];
	char hb[RAND_TOKEN_LEN + 1];
	size_t n;
	int ok;

	if (link_auth == NULL || stored == NULL ||
	    b64u_decode(raw, sizeof(raw), link_auth, strlen(link_auth)) !=
	        (long)sizeof(raw))
		return 0;
	crypto_hash_sha256(h, raw, sizeof(raw));
	b64u_encode(hb, sizeof(hb), h, sizeof(h));
	n = strlen(hb);
	ok = strlen(stored) == n && sodium_memcmp(hb, stored, n) == 0;
	sodium_memzero(raw, sizeof(raw));
	return ok;
}

/*
 * Loads a link message and checks the caller knows S. Unknown ids, other
 * kinds and wrong proofs all answer the same 404. m is filled only on
 * ST_OK.
 */
static struct st_result
link_gate(
    struct db_conn *c, const char *id, const char *link_auth, struct msg_row *m)
{
	struct msg_sealed s;
	struct st_result r;
	int found;

	if (!rand_id_valid(id))
		return NOT_FOUND;
	if ((found = msg_get(c, id, m)) != 1)
		return found == 0 ? NOT_FOUND : FAILED;
	r = strcmp(m->rcpt_kind, "link") == 0 ? access_live(m) : NOT_FOUND;
	if (r.st == ST_OK) {
		if (msg_sealed_get(c, id, &s) != 1)
			r = FAILED;
		else if (!link_auth_ok(link_auth, s.link_auth_hash))
			r = NOT_FOUND;
		msg_sealed_release(&s);
	}
	if (r.st != ST_OK)
		msg_row_release(m);
	return r;
}

static int
has_phone(const struct msg_row *m)
{
	return m->rcpt_phone != NULL && m->rcpt_phone[0] != '\0';
}

void
receive_mask_phone(const char *e164, char *out, size_t outlen)
{
	size_t n = strlen(e164), keep = 2, i, o = 0;

	if (strncmp(e164, "+316", 4) == 0 && n == 12) {
		/* The Dutch mobile form people recognise. */
		snprintf(out, outlen, "+31 6 ******%s", e164 + n - keep);
		return;
	}
	for (i = 0; i < n && o + 1 < outlen; i++)
		out[o++] = i < 3 || i >= n - keep ? e164[i] : '*';
	out[o] = '\0';
}

struct st_result
receive_open(const struct msg_env *env, const char *id, const char *link_auth,
    const char *cap_token, struct rcv_open *out)
{
	struct db_conn *c = db_get(env->db);
	struct st_result r;
	struct otp_row o;
	struct msg_row m;
	struct user u;

	memset(out, 0, sizeof(*out));
	if ((r = link_gate(c, id, link_auth, &m)).st != ST_OK) {
		db_put(c);
		return r;
	}
	out->code_required = has_phone(&m);
	if (out->code_required)
		receive_mask_phone(
		    m.rcpt_phone, out->phone_masked, sizeof(out->phone_masked));
	if (otp_get(c, id, &o) == 1) {
		out->locked = o.locked;
		out->code_sent_at = o.sent_at;
		/* A code already sent and still good: the page offers its
		 * field, so reopening the link costs no new SMS (issue 25). */
		if (!o.locked && o.code_hash[0] != '\0' &&
		    o.expires_at > clock_now())
			out->code_expires_at = o.expires_at;
	}
	out->capable = access_message(env, c, NULL, &m, cap_token) ==
	    ACCESS_OUTSIDER;
	out->expires_at = m.expires_at;
	if (users_by_id(c, m.sender_id, &u) == 1) {
		out->sender_name = xstrdup(u.name);
		user_release(&u);
	}
	event_add(c, id, "link_opened", "link", env->ip, NULL);
	db_put(c);
	msg_row_release(&m);
	return OK;
}

/* The stored form of a code: bound to its message. */
static void
code_hash(const struct msg_env *env, const char *id, const char *code,
    char out[SECRETS_HASH_LEN + 1])
{
	char in[RAND_ID_LEN + RCV_CODE_LEN + 2];

	snprintf(in, sizeof(in), "%s:%s", id, code);
	secrets_keyed_hash(env->sec, "sms-code", in, out);
	sodium_memzero(in, sizeof(in));
}

static int
new_code(struct db_conn *c, const struct msg_env *env, const struct msg_row *m,
    int64_t now, int64_t expires)
{
	char code[RCV_CODE_LEN + 1], h[SECRETS_HASH_LEN + 1], text[320];
	int rc = -1;

	snprintf(code, sizeof(code), "%06u", randombytes_uniform(1000000));
	code_hash(env, m->id, code, h);
	if (otp_put(c, m->id, h, now, expires) == DB_OK &&
	    sms_code_text(env->cfg, code,
	        (int)(env->cfg->receive_code_ttl / 60), m->rcpt_lang, text,
	        sizeof(text)) == 0 &&
	    outbox_queue_sms(
	        c, env->sec->outbox_key, m->rcpt_phone, text, m->id) == 0 &&
	    event_add(c, m->id, "code_sent", "link", env->ip, NULL) == DB_OK)
		rc = 0;
	sodium_memzero(code, sizeof(code));
	sodium_memzero(text, sizeof(text));
	return rc;
}

struct st_result
receive_send_code(const struct msg_env *env, const char *id,
    const char *link_auth, int64_t *expires_at)
{
	struct db_conn *c = db_get(env->db);
	int64_t now = clock_now(), n;
	char key[RAND_ID_LEN + 8];
	struct st_result r;
	struct otp_row o;
	struct msg_row m;

	if ((r = link_gate(c, id, link_auth, &m)).st != ST_OK) {
		db_put(c);
		return r;
	}
	*expires_at = now + env->cfg->receive_code_ttl;
	if (!has_phone(&m))
		r = st_res(ST_INVALID, "no_code",
		    "This message was sent without a mobile number");
	else if (db_begin(c) != DB_OK)
		r = st_res(ST_BUSY, "busy", "The server is busy; try again");
	else {
		snprintf(key, sizeof(key), "otp:%s", id);
		if (otp_get(c, id, &o) == 1 && o.locked)
			r = st_res(ST_LOCKED, "locked",
			    "Too many wrong codes; ask the sender to unlock");
		else if ((n = ratelimit_hit(c, key, 3600, now)) < 0)
			r = FAILED;
		else if (n > env->cfg->receive_codes_per_hour)
			r = st_res_after(ST_LIMITED, 3600, "rate_limited",
			    "Too many codes asked for; try again later");
		else if (new_code(c, env, &m, now, *expires_at) == -1)
			r = FAILED;
		/* A refusal still keeps its count of the hour. */
		if (r.st == ST_OK || r.st == ST_LIMITED)
			r = db_commit(c) == DB_OK ? r : FAILED;
		else
			db_rollback(c);
	}
	db_put(c);
	msg_row_release(&m);
	return r;
}

/* Hands out a capability for m and records the opening. */
static int
grant(struct db_conn *c, const struct msg_env *env, const struct msg_row *m,
    char token[RAND_TOKEN_LEN + 1])
{
	char h[SECRETS_HASH_LEN + 1];

	rand_token(token);
	access_cap_hash(env, token, h);
	if (cap_insert(c, h, m->id,
	        clock_now() + env->cfg->receive_capability_ttl) != DB_OK ||
	    otp_used(c, m->id) != DB_OK)
		return -1;
	if (msg_transition(c, m->id, "sent", "opened") == 1)
		event_add(c, m->id, "opened", "link", env->ip, NULL);
	return 0;
}

/*
 * The code entry just locked (§3 #21): the sender is told, in the same
 * transaction, with where to unlock it. A mail that cannot be queued is
 * logged; the lock stands either way.
 */
static void
mail_locked(struct db_conn *c, const struct msg_env *env,
    const struct msg_row *m, int64_t attempts)
{
	char link[512], sent[64], when[64], n[24];
	struct user u = { 0 };

	if (users_by_id(c, m->sender_id, &u) != 1) {
		log_error("no sender for a locked message", "{s:s}", "message",
		    m->id);
		return;
	}
	snprintf(link, sizeof(link), "%s/berichten/%s",
	    env->cfg->server_public_url, m->id);
	/* In the sender's language, in Dutch time (U1). */
	i18n_datetime(u.lang, m->sent_at, sent, sizeof(sent));
	i18n_datetime(u.lang, clock_now(), when, sizeof(when));
	snprintf(n, sizeof(n), "%" PRId64, attempts);
	{
		const char *params[] = { "name", u.name, "recipient",
			m->rcpt_email, "sent", sent, "when", when, "attempts",
			n, "link", link, "service", "SecureTransfer", NULL };

		if (outbox_queue_text(c, env->sec->outbox_key, "locked", u.lang,
		        params, u.email, u.name, m->id) == -1)
			log_error("cannot queue the lock mail", "{s:s}",
			    "message", m->id);
	}
	user_release(&u);
}

/* Checks code against the stored one inside the caller's transaction. */
static struct st_result
check_code(struct db_conn *c, const struct msg_env *env,
    const struct msg_row *m, const char *code, int64_t *attempts_left)
{
	int64_t max = env->cfg->receive_code_attempts, n;
	char h[SECRETS_HASH_LEN + 1];
	struct otp_row o;
	size_t len;
	int got = otp_get(c, m->id, &o), right;

	if (got == -1)
		return FAILED;
	if (got == 1 && o.locked)
		return st_res(ST_LOCKED, "locked",
		    "Too many wrong codes; ask the sender to unlock");
	len = code != NULL ? strlen(code) : 0;
	right = 0;
	if (len == RCV_CODE_LEN && strspn(code, "0123456789") == len &&
	    got == 1 && o.code_hash[0] != '\0') {
		code_hash(env, m->id, code, h);
		right = strlen(o.code_hash) == strlen(h) &&
		    sodium_memcmp(h, o.code_hash, strlen(h)) == 0;
	}
	if (right && o.expires_at <= clock_now())
		return st_res(ST_UNAUTHORIZED, "code_expired",
		    "This code has expired; ask for a new one");
	if (right)
		return OK;
	if ((n = otp_fail(c, m->id, max)) < 0)
		return FAILED;
	event_add(c, m->id, "code_wrong", "link", env->ip, NULL);
	if (n == max)
		mail_locked(c, env, m, n);
	*attempts_left = n >= max ? 0 : max - n;
	return n >= max ?
	    st_res(ST_LOCKED, "locked",
	        "Too many wrong codes; ask the sender to unlock") :
	    st_res(ST_UNAUTHORIZED, "wrong_code", "This code is not right");
}

struct st_result
receive_verify(const struct msg_env *env, const char *id, const char *link_auth,
    const char *code, char token[RAND_TOKEN_LEN + 1], int64_t *attempts_left)
{
	struct db_conn *c = db_get(env->db);
	struct st_result r;
	struct msg_row m;

	*attempts_left = env->cfg->receive_code_attempts;
	if ((r = link_gate(c, id, link_auth, &m)).st != ST_OK) {
		db_put(c);
		return r;
	}
	if (db_begin(c) != DB_OK) {
		db_put(c);
		msg_row_release(&m);
		return st_res(ST_BUSY, "busy", "The server is busy; try again");
	}
	r = has_phone(&m) ? check_code(c, env, &m, code, attempts_left) : OK;
	/* The right code first, then the opening it caused (P3 order). */
	if (r.st == ST_OK &&
	    ((has_phone(&m) &&
	         event_add(c, id, "code_right", "link", env->ip, NULL) !=
	             DB_OK) ||
	        grant(c, env, &m, token) == -1))
		r = FAILED;
	/* Wrong codes are kept: the count is what the lock rests on. */
	if (r.st == ST_OK || r.st == ST_UNAUTHORIZED || r.st == ST_LOCKED) {
		if (db_commit(c) != DB_OK)
			r = FAILED;
	} else
		db_rollback(c);
	db_put(c);
	msg_row_release(&m);
	return r;
}

struct st_result
receive_capable(const struct msg_env *env, const char *id,
    const char *cap_token, struct msg_row *m)
{
	struct db_conn *c = db_get(env->db);
	struct st_result r;
	int found;

	found = rand_id_valid(id) ? msg_get(c, id, m) : 0;
	if (found != 1) {
		db_put(c);
		return found == 0 ? st_res(ST_UNAUTHORIZED, "unauthorized",
		                        "Enter the code from the SMS first") :
		                    FAILED;
	}
	/* Expired and withdrawn say so to anyone with the link: the page
	 * must tell the recipient, and the state is no secret. */
	r = access_live(m);
	if (r.st == ST_OK)
		r = access_check(access_message(env, c, NULL, m, cap_token),
		    ACCESS_FILES, m);
	if (r.st == ST_NOT_FOUND)
		r = st_res(ST_UNAUTHORIZED, "unauthorized",
		    "Enter the code from the SMS first");
	db_put(c);
	if (r.st != ST_OK)
		msg_row_release(m);
	return r;
}

struct st_result
receive_party(const struct msg_env *env, const char *id, const struct user *u,
    struct msg_row *m, int *recipient)
{
	struct db_conn *c = db_get(env->db);
	enum access_party p;
	struct st_result r;
	int found;

	found = rand_id_valid(id) ? msg_get(c, id, m) : 0;
	if (found != 1) {
		db_put(c);
		return found == 0 ? NOT_FOUND : FAILED;
	}
	p = access_message(env, c, u, m, NULL);
	r = access_check(p, ACCESS_READ, m);
	*recipient = access_is_recipient(p);
	if (r.st == ST_OK && *recipient &&
	    msg_transition(c, id, "sent", "opened") == 1)
		event_add_member(
		    c, id, "opened", u->id, u->member_id, env->ip, NULL);
	db_put(c);
	if (r.st != ST_OK)
		msg_row_release(m);
	return r;
}

struct st_result
receive_file(const struct msg_env *env, const struct msg_row *m,
    const char *file_id, struct file_row *f)
{
	struct st_result r = access_live(m);
	struct db_conn *c;
	int found;

	if (r.st != ST_OK)
		return r;
	if (!rand_id_valid(file_id))
		return NOT_FOUND;
	c = db_get(env->db);
	found = file_get(c, file_id, f);
	db_put(c);
	if (found != 1)
		return found == 0 ? NOT_FOUND : FAILED;
	if (strcmp(f->message_id, m->id) != 0 || !f->done) {
		file_row_release(f);
		return NOT_FOUND;
	}
	return OK;
}

void
receive_downloaded(const struct msg_env *env, const char *msg_id, int64_t idx,
    const char *actor, const char *member)
{
	struct db_conn *c = db_get(env->db);
	char detail[48];

	snprintf(detail, sizeof(detail), "{\"file\":%" PRId64 "}", idx);
	event_add_member(
	    c, msg_id, "downloaded", actor, member, env->ip, detail);
	if (msg_transition(c, msg_id, "opened", "downloaded") != 1)
		msg_transition(c, msg_id, "sent", "downloaded");
	db_put(c);
}

struct st_result
receive_unlock(
    const struct msg_env *env, const struct user *sender, const char *id)
{
	struct db_conn *c = db_get(env->db);
	struct st_result r;
	struct msg_row m;
	int found;

	found = rand_id_valid(id) ? msg_get(c, id, &m) : 0;
	if (found != 1) {
		db_put(c);
		return found == 0 ? NOT_FOUND : FAILED;
	}
	if ((r = access_manage(env, c, sender, &m)).st == ST_OK &&
	    (r = access_live(&m)).st == ST_OK &&
	    (otp_unlock(c, id) != DB_OK ||
	        event_add_member(c, id, "code_unlocked", sender->id,
	            sender->member_id, env->ip, NULL) != DB_OK))
		r = FAILED;
	db_put(c);
	msg_row_release(&m);
	return r;
}
