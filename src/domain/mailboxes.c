/* Department mailboxes; see mailboxes.h. */
#include "util/common.h"

#include <jansson.h>

#include "db/db.h"
#include "db/mailboxes_db.h"
#include "db/users_db.h"
#include "db/auditlog_db.h"
#include "domain/email.h"
#include "domain/kt.h"
#include "domain/mailboxes.h"
#include "domain/orgs.h"
#include "util/clock.h"
#include "util/secrets.h"

#define FAILED st_res(ST_ERROR, "internal", "Internal error")
#define BUSY st_res(ST_BUSY, "busy", "The server is busy; try again")
#define NOT_FOUND st_res(ST_NOT_FOUND, "not_found", "No such mailbox")
#define MISMATCH \
	st_res(ST_CONFLICT, "grants_mismatch", \
	    "The members or keys changed; reload and try again")
#define STANZA_B64 107 /* 80 bytes */

/* Members (id and key id) or key ids of one mailbox, bounded. */
struct idset {
	char id[MBX_KEYS_MAX][RAND_ID_LEN + 1];
	char kid[MBX_KEYS_MAX][RAND_ID_LEN + 1];
	size_t n;
	int over;
};

static void
add_member(const struct mbx_party *p, void *arg)
{
	struct idset *s = arg;

	if (s->n == MBX_MEMBERS_MAX) {
		s->over = 1;
		return;
	}
	snprintf(s->id[s->n], sizeof(s->id[0]), "%s", p->id);
	snprintf(s->kid[s->n], sizeof(s->kid[0]), "%s",
	    p->key_id != NULL ? p->key_id : "");
	s->n++;
}

static void
add_key(const struct mbx_key *k, void *arg)
{
	struct idset *s = arg;

	if (s->n == MBX_KEYS_MAX) {
		s->over = 1;
		return;
	}
	snprintf(s->id[s->n], sizeof(s->id[0]), "%s", k->key_id);
	s->n++;
}

static int
stanza_ok(const char *b)
{
	unsigned char raw[80];

	return b != NULL && strlen(b) == STANZA_B64 &&
	    b64u_decode(raw, sizeof(raw), b, STANZA_B64) == 80;
}

/* Whether grants give exactly each (id[i], kid[i]) pair: for a new key,
 * one per member (key_id fixed); for a new member, one per key version
 * (member_key_id fixed). */
static int
grants_cover(const struct idset *want, const struct mbx_grant_in *g, size_t n,
    const char *key_id, const char *member_key_id, int by_member)
{
	size_t i, j;

	if (n != want->n)
		return 0;
	for (i = 0; i < n; i++) {
		if (!stanza_ok(g[i].body) || g[i].member_key_id == NULL ||
		    (by_member ? g[i].user_id == NULL : g[i].key_id == NULL))
			return 0;
		/* A new key's grants are all of that key. */
		if (by_member && g[i].key_id != NULL &&
		    strcmp(g[i].key_id, key_id) != 0)
			return 0;
		for (j = 0; j < want->n; j++) {
			if (by_member &&
			    strcmp(g[i].user_id, want->id[j]) == 0 &&
			    strcmp(g[i].member_key_id, want->kid[j]) == 0)
				break;
			if (!by_member &&
			    strcmp(g[i].key_id, want->id[j]) == 0 &&
			    strcmp(g[i].member_key_id, member_key_id) == 0)
				break;
		}
		if (j == want->n)
			return 0;
		/* No pair twice: with n == want->n every pair is then met. */
		for (j = 0; j < i; j++)
			if (strcmp(by_member ? g[j].user_id : g[j].key_id,
			        by_member ? g[i].user_id : g[i].key_id) == 0)
				return 0;
	}
	return 1;
}

static void
audit(struct db_conn *c, const struct msg_env *env, const char *actor,
    const char *kind, const char *mailbox, const char *who, const char *kid)
{
	json_t *d = json_pack("{s:s?,s:s?}", "member", who, "key_id", kid);
	char *detail = json_dumps(d, JSON_COMPACT);

	(void)audit_add(c, actor, env->ip, kind, mailbox, detail);
	free(detail);
	json_decref(d);
}

struct st_result
mailboxes_create(const struct msg_env *env, const char *actor,
    const char *email_in, const char *name, const char *owner_email,
    char out_id[RAND_ID_LEN + 1])
{
	char email[EMAIL_MAX + 1];
	const char *domain, *why;
	struct st_result res = FAILED;
	struct db_conn *c;
	struct user owner;
	int found, conn;

	if (email_normalise(email_in, email, sizeof(email), &domain, &why) ==
	    -1)
		return st_res(ST_INVALID, "bad_email", why);
	if (name == NULL || *name == '\0' || strlen(name) > 200)
		return st_res(ST_INVALID, "bad_name", "Give a name (≤ 200)");
	c = db_get(env->db);
	conn = orgs_is_connected(c, domain);
	found = users_by_email(c, owner_email, &owner);
	if (conn == 0)
		res = st_res(ST_INVALID, "not_connected",
		    "The address is not of a connected organisation");
	else if (found == 0 ||
	    (found == 1 &&
	        (owner.is_mailbox || !owner.verified || owner.key_id == NULL)))
		res = st_res(ST_NOT_FOUND, "no_owner",
		    "The owner must be a verified account with keys");
	else if (conn == 1 && found == 1 && db_begin(c) == DB_OK) {
		rand_id(out_id);
		switch (mbx_db_create(
		    c, out_id, email, name, owner.id, clock_now())) {
		case DB_OK:
			audit(c, env, actor, "mailbox.created", out_id,
			    owner.email, NULL);
			res = db_commit(c) == DB_OK ?
			    st_res(ST_OK, NULL, NULL) :
			    FAILED;
			break;
		case DB_CONSTRAINT:
			res = st_res(ST_CONFLICT, "exists",
			    "An account or mailbox has that address");
			/* FALLTHROUGH */
		default:
			db_rollback(c);
		}
	}
	if (found == 1)
		user_release(&owner);
	db_put(c);
	return res;
}

/* The checks of a new key version, before the transaction. */
static struct st_result
rekey_check(struct db_conn *c, const struct user *u, const char *mailbox,
    const struct mbx_rekey_in *in, const char *kid, struct idset *members)
{
	char role[8], other[8];
	int64_t nkeys;
	size_t i, j;

	if (mbx_db_role(c, mailbox, u->id, role) != 1)
		return NOT_FOUND;
	nkeys = mbx_db_count(c, MBX_SQL_KEYS, mailbox, "");
	if (nkeys < 0)
		return BUSY;
	if ((nkeys == 0 || in->remove != NULL) && strcmp(role, "owner") != 0)
		return st_res(ST_FORBIDDEN, "owner_only",
		    "Only the mailbox's owner may do this");
	if (nkeys == 0 && in->remove != NULL)
		return st_res(ST_CONFLICT, "no_key", "The mailbox has no key");
	if (nkeys >= MBX_KEYS_MAX)
		return st_res(ST_FORBIDDEN, "too_many_keys",
		    "The mailbox has had too many keys");
	if (in->remove != NULL && strcmp(in->remove, u->id) == 0)
		return st_res(ST_INVALID, "remove_self",
		    "The owner cannot remove themselves");
	if (in->remove != NULL &&
	    mbx_db_role(c, mailbox, in->remove, other) != 1)
		return st_res(ST_NOT_FOUND, "no_member", "No such member");
	if (mbx_db_members(c, mailbox, add_member, members) == -1)
		return BUSY;
	/* The removed member gets no grant of the new key. */
	for (i = j = 0; i < members->n; i++) {
		if (in->remove != NULL &&
		    strcmp(members->id[i], in->remove) == 0)
			continue;
		memmove(members->id[j], members->id[i], sizeof(members->id[0]));
		memmove(
		    members->kid[j], members->kid[i], sizeof(members->kid[0]));
		j++;
	}
	members->n = j;
	if (!grants_cover(members, in->grants, in->ngrants, kid, NULL, 1))
		return MISMATCH;
	return st_res(ST_OK, NULL, NULL);
}

static struct st_result
rekey_tx(struct db_conn *c, const struct msg_env *env, const struct user *u,
    const char *mailbox, const struct mbx_rekey_in *in, const char *kid)
{
	struct mbx_key k = { kid, in->x25519_pk, in->ed25519_pk,
		in->wrapped_x25519_sk, in->wrapped_ed25519_sk, 0 };
	struct st_result res = st_res(ST_OK, NULL, NULL);
	struct user gone = { 0 };
	struct mbx_grant g;
	enum db_status st;
	size_t i;

	if (in->remove != NULL &&
	    (users_by_id(c, in->remove, &gone) != 1 ||
	        mbx_db_member_delete(c, mailbox, in->remove) != 1)) {
		res = MISMATCH;
		goto out;
	}
	st = mbx_db_key_insert(c, mailbox, &k, u->id, clock_now());
	if (st != DB_OK) {
		res = st == DB_CONSTRAINT ?
		    st_res(ST_CONFLICT, "key_exists",
		        "The mailbox had that key before") :
		    BUSY;
		goto out;
	}
	if (kt_publish_user(c, env->sec->log, mailbox, TLOG_EV_MAILBOX) == -1) {
		res = BUSY;
		goto out;
	}
	for (i = 0; i < in->ngrants && res.st == ST_OK; i++) {
		g.key_id = kid;
		g.member_key_id = in->grants[i].member_key_id;
		g.granted_by = u->id;
		g.body = in->grants[i].body;
		if (mbx_db_grant_insert(
		        c, mailbox, in->grants[i].user_id, &g) != DB_OK)
			res = BUSY;
	}
	if (res.st == ST_OK && in->remove != NULL)
		audit(c, env, u->id, "mailbox.member_removed", mailbox,
		    gone.email, kid);
	if (res.st == ST_OK)
		audit(c, env, u->id, "mailbox.key_made", mailbox, NULL, kid);
out:
	user_release(&gone);
	return res;
}

struct st_result
mailboxes_rekey(const struct msg_env *env, const struct user *u,
    const char *mailbox, const struct mbx_rekey_in *in,
    char out_key_id[RAND_ID_LEN + 1])
{
	struct idset *members;
	struct st_result res;
	struct db_conn *c;
	char edkid[RAND_ID_LEN + 1];

	if (user_key_id_of(in->x25519_pk, out_key_id) == -1 ||
	    user_key_id_of(in->ed25519_pk, edkid) == -1)
		return st_res(
		    ST_INVALID, "bad_key", "A public key is not 32 bytes");
	members = xcalloc(1, sizeof(*members));
	c = db_get(env->db);
	if (db_begin(c) != DB_OK)
		res = BUSY;
	else if ((res = rekey_check(c, u, mailbox, in, out_key_id, members))
	             .st != ST_OK ||
	    (res = rekey_tx(c, env, u, mailbox, in, out_key_id)).st != ST_OK)
		db_rollback(c);
	else if (db_commit(c) != DB_OK)
		res = BUSY;
	db_put(c);
	free(members);
	return res;
}

/* Whether member user holds the current key (to their current key):
 * 1, 0 (not a member, or their key changed), -1. */
struct has_key {
	const char *user;
	int found;
};

static void
find_member(const struct mbx_party *p, void *arg)
{
	struct has_key *h = arg;

	if (strcmp(p->id, h->user) == 0)
		h->found = p->has_key;
}

static int
holds_key(struct db_conn *c, const char *mailbox, const char *user)
{
	struct has_key h = { user, 0 };

	if (mbx_db_members(c, mailbox, find_member, &h) == -1)
		return -1;
	return h.found;
}

static struct st_result
add_check(struct db_conn *c, const struct user *u, const char *mailbox,
    const struct user *t, const struct mbx_grant_in *grants, size_t ngrants,
    struct idset *keys)
{
	char role[8];
	int64_t n;

	if (mbx_db_role(c, mailbox, u->id, role) != 1)
		return NOT_FOUND;
	if (t->is_mailbox || !t->verified || t->key_id == NULL ||
	    strcmp(t->id, MSG_EXTERNAL) == 0)
		return st_res(ST_NOT_FOUND, "no_account",
		    "No verified account with keys");
	if (mbx_db_role(c, mailbox, t->id, role) != 0 &&
	    holds_key(c, mailbox, t->id) != 0)
		return st_res(
		    ST_CONFLICT, "already_member", "Already a member");
	n = mbx_db_count(c, MBX_SQL_MEMBERS, mailbox, "");
	if (n < 0)
		return BUSY;
	if (n >= MBX_MEMBERS_MAX)
		return st_res(ST_FORBIDDEN, "too_many_members",
		    "The mailbox has as many members as it can have");
	if (mbx_db_keys(c, mailbox, add_key, keys) == -1 || keys->over)
		return BUSY;
	if (keys->n == 0)
		return st_res(ST_CONFLICT, "no_key", "The mailbox has no key");
	if (ngrants > 0 && grants[0].member_key_id != NULL &&
	    strcmp(grants[0].member_key_id, t->key_id) != 0)
		return st_res(ST_CONFLICT, "member_key_changed",
		    "The colleague's key changed; compare the fingerprint "
		    "again");
	if (!grants_cover(keys, grants, ngrants, NULL, t->key_id, 0))
		return MISMATCH;
	return st_res(ST_OK, NULL, NULL);
}

static struct st_result
add_tx(struct db_conn *c, const struct msg_env *env, const struct user *u,
    const char *mailbox, const struct user *t,
    const struct mbx_grant_in *grants, size_t ngrants)
{
	struct mbx_grant g;
	size_t i;

	char role[8];
	int again = mbx_db_role(c, mailbox, t->id, role) == 1;

	/* A member whose key changed (a reset) is given the keys again. */
	if (again ? mbx_db_grants_delete(c, mailbox, t->id) != DB_OK :
	            mbx_db_member_insert(
	                c, mailbox, t->id, u->id, clock_now()) != DB_OK)
		return BUSY;
	for (i = 0; i < ngrants; i++) {
		g.key_id = grants[i].key_id;
		g.member_key_id = t->key_id;
		g.granted_by = u->id;
		g.body = grants[i].body;
		if (mbx_db_grant_insert(c, mailbox, t->id, &g) != DB_OK)
			return BUSY;
	}
	audit(c, env, u->id,
	    again ? "mailbox.member_granted" : "mailbox.member_added", mailbox,
	    t->email, t->key_id);
	return st_res(ST_OK, NULL, NULL);
}

struct st_result
mailboxes_add_member(const struct msg_env *env, const struct user *u,
    const char *mailbox, const char *user_id, const struct mbx_grant_in *grants,
    size_t ngrants)
{
	struct idset *keys;
	struct st_result res;
	struct db_conn *c;
	struct user t;
	int found;

	keys = xcalloc(1, sizeof(*keys));
	c = db_get(env->db);
	found = users_by_id(c, user_id, &t);
	if (found != 1)
		res = found == 0 ? st_res(ST_NOT_FOUND, "no_account",
		                       "No verified account with keys") :
		                   BUSY;
	else if (db_begin(c) != DB_OK)
		res = BUSY;
	else if ((res = add_check(c, u, mailbox, &t, grants, ngrants, keys))
	             .st != ST_OK ||
	    (res = add_tx(c, env, u, mailbox, &t, grants, ngrants)).st != ST_OK)
		db_rollback(c);
	else if (db_commit(c) != DB_OK)
		res = BUSY;
	if (found == 1)
		user_release(&t);
	db_put(c);
	free(keys);
	return res;
}

int
mailboxes_act_as(
    struct db *db, const struct user *u, const char *mailbox, struct user *as)
{
	struct db_conn *c;
	char role[8];
	int r;

	if (!rand_id_valid(mailbox))
		return 0;
	c = db_get(db);
	if ((r = mbx_db_role(c, mailbox, u->id, role)) == 1 &&
	    (r = users_by_id(c, mailbox, as)) == 1 && !as->is_mailbox) {
		user_release(as);
		r = 0;
	}
	db_put(c);
	if (r == 1)
		snprintf(as->member_id, sizeof(as->member_id), "%s", u->id);
	return r;
}
