/* Administering accounts and mailboxes; see staff.h. */
#include "util/common.h"

#include <ctype.h>

#include "db/db.h"
#include "db/factors_db.h"
#include "db/mailboxes_db.h"
#include "db/staff_db.h"
#include "db/sessions_db.h"
#include "db/auditlog_db.h"
#include "domain/accounts.h"
#include "domain/email.h"
#include "domain/mailboxes.h"
#include "domain/messages.h"
#include "domain/staff.h"
#include "util/clock.h"
#include "util/log.h"

#define Q_MAX 100

static const struct st_result no_account = { ST_NOT_FOUND, "not_found",
	"No such account", 0 };

void
staff_account_release(struct staff_account *a)
{
	free(a->email);
	free(a->name);
	free(a->history);
	memset(a, 0, sizeof(*a));
}

void
staff_list_release(struct staff_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		staff_account_release(&l->a[i]);
	free(l->a);
	memset(l, 0, sizeof(*l));
}

/* The five words of a b64u key id; "" when it is none. */
static void
words_of(const char *kid, char out[KEYID_WORDS_MAX])
{
	unsigned char raw[KEYID_LEN + 2];

	out[0] = '\0';
	if (kid == NULL || strlen(kid) != RAND_ID_LEN ||
	    b64u_decode(raw, sizeof(raw), kid, RAND_ID_LEN) != KEYID_LEN ||
	    keyid_words(out, KEYID_WORDS_MAX, raw) == -1)
		out[0] = '\0';
}

static void
fill(struct staff_account *a, const struct staff_row *r)
{
	memset(a, 0, sizeof(*a));
	snprintf(a->id, sizeof(a->id), "%s", r->id);
	a->email = xstrdup(r->email);
	a->name = xstrdup(r->name);
	snprintf(a->key_id, sizeof(a->key_id), "%s",
	    r->key_id != NULL ? r->key_id : "");
	words_of(r->key_id, a->fingerprint);
	a->is_admin = r->is_admin;
	a->verified = r->verified;
	a->blocked = r->blocked;
	a->is_mailbox = r->is_mailbox;
	a->created_at = r->created_at;
	a->last_login_at = r->last_login_at;
	a->keys_changed_at = r->keys_changed_at;
	a->blocked_at = r->blocked_at;
}

static void
add_row(const struct staff_row *r, void *arg)
{
	struct staff_list *l = arg;

	l->a = xreallocarray(l->a, l->n + 1, sizeof(*l->a));
	fill(&l->a[l->n++], r);
}

/* "%q%" lowered, with %, _ and \ taken literally. */
static int
like_pattern(const char *q, char *out, size_t outlen)
{
	size_t o = 0;

	if (*q == '\0') {
		out[0] = '\0';
		return 0;
	}
	out[o++] = '%';
	for (; *q != '\0'; q++) {
		if (o + 4 >= outlen)
			return -1;
		if (*q == '%' || *q == '_' || *q == '\\')
			out[o++] = '\\';
		out[o++] = (char)tolower((unsigned char)*q);
	}
	out[o++] = '%';
	out[o] = '\0';
	return 0;
}

struct st_result
staff_search(const struct admin_env *env, const char *q, const char *status,
    int64_t page, struct staff_list *out)
{
	static const char *const statuses[] = { "", "unverified", "active",
		"blocked", "admin" };
	char pat[2 * Q_MAX + 8];
	struct staff_query sq;
	struct db_conn *c;
	size_t i;
	int rc, known = 0;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < ST_ARRAY_LEN(statuses); i++)
		known |= strcmp(status, statuses[i]) == 0;
	if (!known)
		return st_res(ST_INVALID, "bad_field",
		    "status: unverified, active, blocked or admin");
	if (strlen(q) > Q_MAX || like_pattern(q, pat, sizeof(pat)) == -1)
		return st_res(ST_INVALID, "bad_field", "q: too long");
	if (page < 0 || page > 100000)
		return st_res(ST_INVALID, "bad_field", "page");
	sq.q = pat;
	sq.status = status;
	sq.limit = STAFF_PAGE;
	sq.offset = page * STAFF_PAGE;
	c = db_get(env->db);
	rc = staff_db_search(c, &sq, add_row, out, &out->total);
	for (i = 0; rc == 0 && i < out->n; i++)
		if ((out->a[i].factor = fdb_enrolled(c, out->a[i].id)) < 0)
			rc = -1;
	db_put(c);
	if (rc == -1) {
		staff_list_release(out);
		return ST_DB_ERROR;
	}
	return ST_RESULT_OK;
}

static void
one(const struct staff_row *r, void *arg)
{
	fill(arg, r);
}

static void
add_key_event(const struct staff_key_event *e, void *arg)
{
	struct staff_account *a = arg;
	struct staff_key_change *k;
	const char *kind = strcmp(e->kind, "account.registered") == 0 ?
	    "registered" :
	    strcmp(e->kind, "account.verified") == 0 ? "verified" :
	    strcmp(e->kind, "keys.changed") == 0     ? "changed" :
	                                               "password_reset";

	a->history = xreallocarray(
	    a->history, a->nhistory + 1, sizeof(*a->history));
	k = &a->history[a->nhistory++];
	k->at = e->at_us / 1000000;
	snprintf(k->kind, sizeof(k->kind), "%s", kind);
	/* Only events that name a key id carry words (registered names
	 * the address, which is no key). */
	words_of(
	    strcmp(kind, "registered") != 0 ? e->key_id : NULL, k->fingerprint);
}

/* Looks an account up by id or address into a (released by caller). */
static int
lookup(struct db_conn *c, const char *id_or_email, struct staff_account *a)
{
	char low[EMAIL_MAX + 1];
	size_t i;

	memset(a, 0, sizeof(*a));
	if (strlen(id_or_email) >= sizeof(low))
		return 0;
	/* Addresses are stored lower case; ids are case-sensitive. */
	for (i = 0; id_or_email[i] != '\0'; i++)
		low[i] = strchr(id_or_email, '@') != NULL ?
		    (char)tolower((unsigned char)id_or_email[i]) :
		    id_or_email[i];
	low[i] = '\0';
	return staff_db_get(c, low, one, a);
}

struct st_result
staff_get(const struct admin_env *env, const char *id_or_email,
    struct staff_account *out)
{
	struct db_conn *c = db_get(env->db);
	int found = lookup(c, id_or_email, out);

	if (found == 1 &&
	    (staff_db_key_history(c, out->id, add_key_event, out) == -1 ||
	        (out->sessions = staff_db_sessions(c, out->id)) < 0 ||
	        (out->factor = fdb_enrolled(c, out->id)) < 0))
		found = -1;
	db_put(c);
	if (found != 1) {
		staff_account_release(out);
		return found == 0 ? no_account : ST_DB_ERROR;
	}
	return ST_RESULT_OK;
}

static void
audit_change(struct db_conn *c, const struct admin_env *env, const char *kind,
    const char *email)
{
	if (audit_add(c, env->actor, env->ip, kind, email, NULL) != DB_OK)
		log_error("audit write failed", "{s:s}", "kind", kind);
}

/* The body of a change to one person's account, in a transaction. */
typedef struct st_result (*change_fn)(struct db_conn *c,
    const struct admin_env *env, const struct staff_account *a, int arg);

static struct st_result
change(
    const struct admin_env *env, const char *id_or_email, change_fn fn, int arg)
{
	struct staff_account a;
	struct st_result r;
	struct db_conn *c = db_get(env->db);
	int found = lookup(c, id_or_email, &a);

	if (found != 1)
		r = found == 0 ? no_account : ST_DB_ERROR;
	else if (a.is_mailbox)
		r = st_res(ST_INVALID, "is_mailbox",
		    "A department mailbox has no login to change");
	else if (db_begin(c) != DB_OK)
		r = ST_DB_ERROR;
	else if ((r = fn(c, env, &a, arg)).st != ST_OK ||
	    db_commit(c) != DB_OK) {
		db_rollback(c);
		if (r.st == ST_OK)
			r = ST_DB_ERROR;
	}
	staff_account_release(&a);
	db_put(c);
	return r;
}

/* Refuses to leave no unblocked administrator behind. */
static struct st_result
keep_an_admin(struct db_conn *c, const struct staff_account *a)
{
	int64_t n;

	if (!a->is_admin || a->blocked)
		return ST_RESULT_OK;
	if (staff_db_lock_admins(c) != DB_OK || (n = staff_db_admins(c)) < 0)
		return ST_DB_ERROR;
	if (n <= 1)
		return st_res(ST_FORBIDDEN, "last_admin",
		    "This is the last administrator; make another one first");
	return ST_RESULT_OK;
}

static struct st_result
block_tx(struct db_conn *c, const struct admin_env *env,
    const struct staff_account *a, int blocked)
{
	struct st_result r;
	int changed;

	if (blocked && strcmp(a->id, env->actor) == 0)
		return st_res(
		    ST_FORBIDDEN, "self", "You cannot block your own account");
	if (blocked && (r = keep_an_admin(c, a)).st != ST_OK)
		return r;
	if ((changed = staff_db_set_blocked(c, a->id, blocked, clock_now())) ==
	    -1)
		return ST_DB_ERROR;
	if (changed == 0)
		return st_res(ST_CONFLICT,
		    blocked ? "already_blocked" : "not_blocked",
		    blocked ? "The account is blocked already" :
		              "The account is not blocked");
	/* A blocked account's sessions and pending logins end with it. */
	if (blocked &&
	    (sessions_delete_user(c, a->id, NULL) != DB_OK ||
	        fdb_challenges_delete_user(c, a->id) != DB_OK))
		return ST_DB_ERROR;
	audit_change(
	    c, env, blocked ? "user.blocked" : "user.unblocked", a->email);
	return ST_RESULT_OK;
}

struct st_result
staff_block(const struct admin_env *env, const char *id_or_email, int blocked)
{
	return change(env, id_or_email, block_tx, blocked);
}

static struct st_result
end_tx(struct db_conn *c, const struct admin_env *env,
    const struct staff_account *a, int arg)
{
	ST_UNUSED(arg);
	if (sessions_delete_user(c, a->id, NULL) != DB_OK ||
	    fdb_challenges_delete_user(c, a->id) != DB_OK)
		return ST_DB_ERROR;
	audit_change(c, env, "user.sessions_ended", a->email);
	return ST_RESULT_OK;
}

struct st_result
staff_end_sessions(const struct admin_env *env, const char *id_or_email)
{
	return change(env, id_or_email, end_tx, 0);
}

static struct st_result
role_tx(struct db_conn *c, const struct admin_env *env,
    const struct staff_account *a, int admin)
{
	struct st_result r;
	int changed;

	if (admin && (!a->verified || a->blocked))
		return st_res(ST_CONFLICT, "not_active",
		    "Only a verified, unblocked account can be an "
		    "administrator");
	if (!admin && (r = keep_an_admin(c, a)).st != ST_OK)
		return r;
	if ((changed = staff_db_set_admin(c, a->id, admin)) == -1)
		return ST_DB_ERROR;
	if (changed == 0)
		return st_res(ST_CONFLICT, "unchanged",
		    admin ? "The account is an administrator already" :
		            "The account is not an administrator");
	audit_change(
	    c, env, admin ? "user.promoted" : "user.demoted", a->email);
	return ST_RESULT_OK;
}

struct st_result
staff_set_admin(const struct admin_env *env, const char *id_or_email, int admin)
{
	return change(env, id_or_email, role_tx, admin);
}

struct st_result
staff_resend(const struct admin_env *env, const char *id_or_email)
{
	struct acct_env ae = { env->cfg, env->db, env->sec,
		env->ip != NULL ? env->ip : "-", "" };
	struct staff_account a;
	struct st_result r = ST_RESULT_OK;
	struct db_conn *c = db_get(env->db);
	int found = lookup(c, id_or_email, &a);

	db_put(c);
	if (found != 1)
		return found == 0 ? no_account : ST_DB_ERROR;
	if (a.verified || a.is_mailbox)
		r = st_res(ST_CONFLICT, "already_verified",
		    "The account is verified already");
	/* The same limited, mailed link as "Nieuwe link aanvragen". */
	else if (accounts_resend(&ae, a.email) != ACCT_ACCEPTED)
		r = ST_DB_ERROR;
	else {
		c = db_get(env->db);
		audit_change(c, env, "user.verification_resent", a.email);
		db_put(c);
	}
	staff_account_release(&a);
	return r;
}
