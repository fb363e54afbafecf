/* SQL for department mailboxes; see mailboxes_db.h. */
#include "util/common.h"

#include "db/mailboxes_db.h"

enum db_status
mbx_db_create(struct db_conn *c, const char *id, const char *email,
    const char *name, const char *owner_id, int64_t now)
{
	enum db_status st;

	st = db_exec(c,
	    "INSERT INTO users (id, email, name, is_admin, created_at, "
	    "verified_at, kind) VALUES ($1, $2, $3, 0, $4, $4, 'mailbox')",
	    DB_PARAMS(DB_TEXT(id), DB_TEXT(email), DB_TEXT(name), DB_INT(now)));
	if (st != DB_OK)
		return st;
	return db_exec(c,
	    "INSERT INTO mailbox_members (mailbox_id, user_id, role, "
	    "added_by, added_at) VALUES ($1, $2, 'owner', 'admin-cli', $3)",
	    DB_PARAMS(DB_TEXT(id), DB_TEXT(owner_id), DB_INT(now)));
}

int
mbx_db_role(
    struct db_conn *c, const char *mailbox, const char *user, char role[8])
{
	struct db_stmt *s;
	int found;

	s = db_query(c,
	    "SELECT role FROM mailbox_members WHERE mailbox_id = $1 AND "
	    "user_id = $2",
	    DB_PARAMS(DB_TEXT(mailbox), DB_TEXT(user)));
	if ((found = db_first(s)) != 1)
		return found;
	snprintf(role, 8, "%s", db_text(s, 0));
	db_done(s);
	return 1;
}

/* Whether member m.user_id holds mailbox m.mailbox_id's current key,
 * wrapped to the member's current key. */
#define HAS_KEY \
	"EXISTS (SELECT 1 FROM mailbox_grants g JOIN users mb ON " \
	"mb.id = g.mailbox_id JOIN users p ON p.id = g.user_id WHERE " \
	"g.mailbox_id = m.mailbox_id AND g.user_id = m.user_id AND " \
	"g.key_id = mb.key_id AND g.member_key_id = p.key_id)"

/* Runs a query of party columns (id, email, name, role, key_id,
 * x25519_pk, added_at, has_key) and calls fn for each row. */
static int
parties(struct db_stmt *s, mbx_party_fn fn, void *arg)
{
	struct mbx_party p;
	enum db_status r;

	if (s == NULL)
		return -1;
	while ((r = db_next(s)) == DB_ROW) {
		p.id = db_text(s, 0);
		p.email = db_text(s, 1);
		p.name = db_text(s, 2);
		p.role = db_text(s, 3);
		p.key_id = db_text(s, 4);
		p.x25519_pk = db_text(s, 5);
		p.added_at = db_int(s, 6);
		p.has_key = db_int(s, 7) != 0;
		fn(&p, arg);
	}
	db_done(s);
	return r == DB_DONE ? 0 : -1;
}

int
mbx_db_of_user(struct db_conn *c, const char *user, mbx_party_fn fn, void *arg)
{
	return parties(db_query(c,
	                   "SELECT u.id, u.email, u.name, m.role, u.key_id, "
	                   "u.x25519_pk, m.added_at, " HAS_KEY " FROM "
	                   "mailbox_members m "
	                   "JOIN users u ON u.id = m.mailbox_id WHERE "
	                   "m.user_id = $1 ORDER BY u.email",
	                   DB_PARAMS(DB_TEXT(user))),
	    fn, arg);
}

int
mbx_db_members(
    struct db_conn *c, const char *mailbox, mbx_party_fn fn, void *arg)
{
	return parties(db_query(c,
	                   "SELECT u.id, u.email, u.name, m.role, u.key_id, "
	                   "u.x25519_pk, m.added_at, " HAS_KEY " FROM "
	                   "mailbox_members m "
	                   "JOIN users u ON u.id = m.user_id WHERE "
	                   "m.mailbox_id = $1 ORDER BY u.email",
	                   DB_PARAMS(DB_TEXT(mailbox))),
	    fn, arg);
}

int
mbx_db_keys(struct db_conn *c, const char *mailbox,
    void (*fn)(const struct mbx_key *k, void *arg), void *arg)
{
	struct db_stmt *s;
	struct mbx_key k;
	enum db_status r;

	s = db_query(c,
	    "SELECT key_id, x25519_pk, ed25519_pk, wrapped_x25519_sk, "
	    "wrapped_ed25519_sk, created_at FROM mailbox_keys WHERE "
	    "mailbox_id = $1 ORDER BY created_at, key_id",
	    DB_PARAMS(DB_TEXT(mailbox)));
	if (s == NULL)
		return -1;
	while ((r = db_next(s)) == DB_ROW) {
		k.key_id = db_text(s, 0);
		k.x25519_pk = db_text(s, 1);
		k.ed25519_pk = db_text(s, 2);
		k.wrapped_x25519_sk = db_text(s, 3);
		k.wrapped_ed25519_sk = db_text(s, 4);
		k.created_at = db_int(s, 5);
		fn(&k, arg);
	}
	db_done(s);
	return r == DB_DONE ? 0 : -1;
}

int
mbx_db_grants(struct db_conn *c, const char *mailbox, const char *user,
    void (*fn)(const struct mbx_grant *g, void *arg), void *arg)
{
	struct db_stmt *s;
	struct mbx_grant g;
	enum db_status r;

	s = db_query(c,
	    "SELECT key_id, member_key_id, granted_by, body FROM "
	    "mailbox_grants WHERE mailbox_id = $1 AND user_id = $2",
	    DB_PARAMS(DB_TEXT(mailbox), DB_TEXT(user)));
	if (s == NULL)
		return -1;
	while ((r = db_next(s)) == DB_ROW) {
		g.key_id = db_text(s, 0);
		g.member_key_id = db_text(s, 1);
		g.granted_by = db_text(s, 2);
		g.body = db_text(s, 3);
		fn(&g, arg);
	}
	db_done(s);
	return r == DB_DONE ? 0 : -1;
}

int64_t
mbx_db_count(
    struct db_conn *c, const char *sql, const char *mailbox, const char *other)
{
	return db_int_of(c, sql, DB_PARAMS(DB_TEXT(mailbox), DB_TEXT(other)));
}

enum db_status
mbx_db_key_insert(struct db_conn *c, const char *mailbox,
    const struct mbx_key *k, const char *by, int64_t now)
{
	enum db_status st;

	st = db_exec(c,
	    "INSERT INTO mailbox_keys (mailbox_id, key_id, x25519_pk, "
	    "ed25519_pk, wrapped_x25519_sk, wrapped_ed25519_sk, created_at, "
	    "created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
	    DB_PARAMS(DB_TEXT(mailbox), DB_TEXT(k->key_id),
	        DB_TEXT(k->x25519_pk), DB_TEXT(k->ed25519_pk),
	        DB_TEXT(k->wrapped_x25519_sk), DB_TEXT(k->wrapped_ed25519_sk),
	        DB_INT(now), DB_TEXT(by)));
	if (st != DB_OK)
		return st;
	/* Senders find the mailbox's key where they find anyone's. */
	return db_exec(c,
	    "UPDATE users SET key_id = $2, x25519_pk = $3, ed25519_pk = $4, "
	    "keys_changed_at = $5 WHERE id = $1 AND kind = 'mailbox'",
	    DB_PARAMS(DB_TEXT(mailbox), DB_TEXT(k->key_id),
	        DB_TEXT(k->x25519_pk), DB_TEXT(k->ed25519_pk), DB_INT(now)));
}

enum db_status
mbx_db_grant_insert(struct db_conn *c, const char *mailbox, const char *user,
    const struct mbx_grant *g)
{
	return db_exec(c,
	    "INSERT INTO mailbox_grants (mailbox_id, user_id, key_id, "
	    "member_key_id, granted_by, body) VALUES ($1, $2, $3, $4, $5, $6)",
	    DB_PARAMS(DB_TEXT(mailbox), DB_TEXT(user), DB_TEXT(g->key_id),
	        DB_TEXT(g->member_key_id), DB_TEXT(g->granted_by),
	        DB_TEXT(g->body)));
}

enum db_status
mbx_db_member_insert(struct db_conn *c, const char *mailbox, const char *user,
    const char *by, int64_t now)
{
	return db_exec(c,
	    "INSERT INTO mailbox_members (mailbox_id, user_id, role, "
	    "added_by, added_at) VALUES ($1, $2, 'member', $3, $4)",
	    DB_PARAMS(
	        DB_TEXT(mailbox), DB_TEXT(user), DB_TEXT(by), DB_INT(now)));
}

int
mbx_db_member_delete(struct db_conn *c, const char *mailbox, const char *user)
{
	/* Grants first: the foreign key cascades on SQLite only when
	 * foreign_keys is on, and PostgreSQL always; be explicit. */
	if (mbx_db_grants_delete(c, mailbox, user) != DB_OK ||
	    db_exec(c,
	        "DELETE FROM mailbox_members WHERE mailbox_id = $1 AND "
	        "user_id = $2 AND role <> 'owner'",
	        DB_PARAMS(DB_TEXT(mailbox), DB_TEXT(user))) != DB_OK)
		return -1;
	return db_changes(c) == 1 ? 1 : 0;
}

int
mbx_db_history(struct db_conn *c, const char *mailbox, int64_t limit,
    void (*fn)(const struct mbx_event *e, void *arg), void *arg)
{
	struct db_stmt *s;
	struct mbx_event e;
	enum db_status r;

	s = db_query(c,
	    "SELECT a.at_us, a.kind, COALESCE(u.email, a.actor), a.detail "
	    "FROM audit a LEFT JOIN users u ON u.id = a.actor WHERE "
	    "a.subject = $1 AND a.kind LIKE 'mailbox.%' ORDER BY a.at_us "
	    "DESC LIMIT $2",
	    DB_PARAMS(DB_TEXT(mailbox), DB_INT(limit)));
	if (s == NULL)
		return -1;
	while ((r = db_next(s)) == DB_ROW) {
		e.at_us = db_int(s, 0);
		e.kind = db_text(s, 1);
		e.by = db_text(s, 2);
		e.detail = db_text(s, 3);
		fn(&e, arg);
	}
	db_done(s);
	return r == DB_DONE ? 0 : -1;
}

int
mbx_db_signer(struct db_conn *c, const char *mailbox, const char *msg_id,
    char key_id[RAND_ID_LEN + 1], char **ed25519_pk)
{
	struct db_stmt *s;
	int found;

	*ed25519_pk = NULL;
	s = db_query(c,
	    "SELECT k.key_id, k.ed25519_pk FROM stanzas s JOIN mailbox_keys k "
	    "ON k.mailbox_id = $1 AND k.key_id = s.key_id WHERE "
	    "s.message_id = $2 AND s.role = 'self'",
	    DB_PARAMS(DB_TEXT(mailbox), DB_TEXT(msg_id)));
	if ((found = db_first(s)) != 1)
		return found;
	snprintf(key_id, RAND_ID_LEN + 1, "%s", db_text(s, 0));
	*ed25519_pk = db_dup_text(s, 1);
	db_done(s);
	return 1;
}

enum db_status
mbx_db_grants_delete(struct db_conn *c, const char *mailbox, const char *user)
{
	return db_exec(c,
	    "DELETE FROM mailbox_grants WHERE mailbox_id = $1 AND "
	    "user_id = $2",
	    DB_PARAMS(DB_TEXT(mailbox), DB_TEXT(user)));
}
