/* SQL for accounts; see users.h. */
#include "util/common.h"

#include "db/users.h"
#include "util/clock.h"

#define USER_COLS \
	"id, email, name, is_admin, verified_at IS NOT NULL, " \
	"verifier, key_id, kdf_salt, kdf_m, kdf_t, kdf_p, wrapped_uk_pw, " \
	"wrapped_uk_rec, x25519_pk, ed25519_pk, wrapped_x25519_sk, " \
	"wrapped_ed25519_sk, kind = 'mailbox', blocked_at IS NOT NULL, lang"

/* Fills u from a row of USER_COLS starting at column 0. */
static void
user_from_row(struct db_stmt *s, struct user *u)
{
	memset(u, 0, sizeof(*u));
	snprintf(u->id, sizeof(u->id), "%s", db_text(s, 0));
	u->email = db_dup_text(s, 1);
	u->name = db_dup_text(s, 2);
	u->is_admin = db_int(s, 3) != 0;
	u->verified = db_int(s, 4) != 0;
	u->verifier = db_dup_text(s, 5);
	u->key_id = db_dup_text(s, 6);
	u->keys.kdf_salt = db_dup_text(s, 7);
	u->keys.kdf_m = db_int(s, 8);
	u->keys.kdf_t = db_int(s, 9);
	u->keys.kdf_p = db_int(s, 10);
	u->keys.wrapped_uk_pw = db_dup_text(s, 11);
	u->keys.wrapped_uk_rec = db_dup_text(s, 12);
	u->keys.x25519_pk = db_dup_text(s, 13);
	u->keys.ed25519_pk = db_dup_text(s, 14);
	u->keys.wrapped_x25519_sk = db_dup_text(s, 15);
	u->keys.wrapped_ed25519_sk = db_dup_text(s, 16);
	u->is_mailbox = db_int(s, 17) != 0;
	u->blocked = db_int(s, 18) != 0;
	snprintf(u->lang, sizeof(u->lang), "%s",
	    db_isnull(s, 19) ? "nl" : db_text(s, 19));
}

static int
one_user(struct db_stmt *s, struct user *u)
{
	enum db_status r;

	if (s == NULL)
		return -1;
	r = db_next(s);
	if (r == DB_ROW)
		user_from_row(s, u);
	db_done(s);
	return r == DB_ROW ? 1 : r == DB_DONE ? 0 : -1;
}

enum db_status
users_insert(struct db_conn *c, const struct user *u, int64_t now)
{
	const struct user_keys *k = &u->keys;

	return db_exec(c,
	    "INSERT INTO users (id, email, name, is_admin, "
	    "created_at, verifier, key_id, kdf_salt, kdf_m, kdf_t, kdf_p, "
	    "wrapped_uk_pw, wrapped_uk_rec, x25519_pk, ed25519_pk, "
	    "wrapped_x25519_sk, wrapped_ed25519_sk, keys_changed_at, lang) "
	    "VALUES ($1, $2, $3, 0, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
	    "$13, $14, $15, $16, $4, $17)",
	    DB_PARAMS(DB_TEXT(u->id), DB_TEXT(u->email), DB_TEXT(u->name),
	        DB_INT(now), DB_TEXT(u->verifier), DB_TEXT(u->key_id),
	        DB_TEXT(k->kdf_salt), DB_INT(k->kdf_m), DB_INT(k->kdf_t),
	        DB_INT(k->kdf_p), DB_TEXT(k->wrapped_uk_pw),
	        DB_TEXT(k->wrapped_uk_rec), DB_TEXT(k->x25519_pk),
	        DB_TEXT(k->ed25519_pk), DB_TEXT(k->wrapped_x25519_sk),
	        DB_TEXT(k->wrapped_ed25519_sk),
	        DB_TEXT(u->lang[0] ? u->lang : "nl")));
}

int
users_by_email(struct db_conn *c, const char *email, struct user *u)
{
	return one_user(db_query(c,
	                    "SELECT " USER_COLS " FROM users WHERE "
	                    "email = $1",
	                    DB_PARAMS(DB_TEXT(email))),
	    u);
}

int
users_by_id(struct db_conn *c, const char *id, struct user *u)
{
	return one_user(db_query(c,
	                    "SELECT " USER_COLS " FROM users WHERE "
	                    "id = $1",
	                    DB_PARAMS(DB_TEXT(id))),
	    u);
}

enum db_status
users_set_verified(struct db_conn *c, const char *id, int64_t now)
{
	return db_exec(c,
	    "UPDATE users SET verified_at = $2 WHERE id = $1 "
	    "AND verified_at IS NULL",
	    DB_PARAMS(DB_TEXT(id), DB_INT(now)));
}

enum db_status
users_set_name(struct db_conn *c, const char *id, const char *name)
{
	return db_exec(c, "UPDATE users SET name = $2 WHERE id = $1",
	    DB_PARAMS(DB_TEXT(id), DB_TEXT(name)));
}

enum db_status
users_set_lang(struct db_conn *c, const char *id, const char *lang)
{
	return db_exec(c, "UPDATE users SET lang = $2 WHERE id = $1",
	    DB_PARAMS(DB_TEXT(id), DB_TEXT(lang)));
}

enum db_status
users_set_password(struct db_conn *c, const char *id, const struct user_keys *k,
    const char *verifier)
{
	return db_exec(c,
	    "UPDATE users SET kdf_salt = $2, kdf_m = $3, "
	    "kdf_t = $4, kdf_p = $5, verifier = $6, wrapped_uk_pw = $7 "
	    "WHERE id = $1",
	    DB_PARAMS(DB_TEXT(id), DB_TEXT(k->kdf_salt), DB_INT(k->kdf_m),
	        DB_INT(k->kdf_t), DB_INT(k->kdf_p), DB_TEXT(verifier),
	        DB_TEXT(k->wrapped_uk_pw)));
}

enum db_status
users_set_all_keys(struct db_conn *c, const char *id, const struct user_keys *k,
    const char *verifier, const char *key_id, int64_t now)
{
	return db_exec(c,
	    "UPDATE users SET kdf_salt = $2, kdf_m = $3, "
	    "kdf_t = $4, kdf_p = $5, verifier = $6, wrapped_uk_pw = $7, "
	    "wrapped_uk_rec = $8, x25519_pk = $9, ed25519_pk = $10, "
	    "wrapped_x25519_sk = $11, wrapped_ed25519_sk = $12, key_id = $13, "
	    "keys_changed_at = $14 WHERE id = $1",
	    DB_PARAMS(DB_TEXT(id), DB_TEXT(k->kdf_salt), DB_INT(k->kdf_m),
	        DB_INT(k->kdf_t), DB_INT(k->kdf_p), DB_TEXT(verifier),
	        DB_TEXT(k->wrapped_uk_pw), DB_TEXT(k->wrapped_uk_rec),
	        DB_TEXT(k->x25519_pk), DB_TEXT(k->ed25519_pk),
	        DB_TEXT(k->wrapped_x25519_sk), DB_TEXT(k->wrapped_ed25519_sk),
	        DB_TEXT(key_id), DB_INT(now)));
}

enum db_status
sessions_insert(struct db_conn *c, const char *hash, const char *user_id,
    int64_t now, const char *ip, const char *agent)
{
	return db_exec(c,
	    "INSERT INTO sessions (id_hash, user_id, created_at, "
	    "last_seen, ip, agent) VALUES ($1, $2, $3, $3, $4, $5)",
	    DB_PARAMS(DB_TEXT(hash), DB_TEXT(user_id), DB_INT(now), DB_TEXT(ip),
	        DB_TEXT(agent)));
}

int
sessions_lookup(struct db_conn *c, const char *hash, int64_t now, int64_t idle,
    int64_t absolute, struct user *u, int64_t *last_seen)
{
	struct db_stmt *s;
	enum db_status r;

	s = db_query(c,
	    "SELECT " USER_COLS ", s.last_seen FROM sessions s JOIN users u "
	    "ON u.id = s.user_id WHERE s.id_hash = $1 AND s.created_at > $2 "
	    "AND s.last_seen > $3 AND u.blocked_at IS NULL",
	    DB_PARAMS(
	        DB_TEXT(hash), DB_INT(now - absolute), DB_INT(now - idle)));
	if (s == NULL)
		return -1;
	r = db_next(s);
	if (r == DB_ROW) {
		user_from_row(s, u);
		*last_seen = db_int(s, 20);
	}
	db_done(s);
	return r == DB_ROW ? 1 : r == DB_DONE ? 0 : -1;
}

enum db_status
sessions_touch(struct db_conn *c, const char *hash, int64_t now)
{
	/* Skipped while the database is locked: the next request does it. */
	return db_exec_nowait(c,
	    "UPDATE sessions SET last_seen = $2 WHERE "
	    "id_hash = $1",
	    DB_PARAMS(DB_TEXT(hash), DB_INT(now)));
}

enum db_status
sessions_delete(struct db_conn *c, const char *hash)
{
	return db_exec(c, "DELETE FROM sessions WHERE id_hash = $1",
	    DB_PARAMS(DB_TEXT(hash)));
}

enum db_status
sessions_delete_user(
    struct db_conn *c, const char *user_id, const char *keep_hash)
{
	return db_exec(c,
	    "DELETE FROM sessions WHERE user_id = $1 AND "
	    "id_hash <> $2",
	    DB_PARAMS(
	        DB_TEXT(user_id), DB_TEXT(keep_hash != NULL ? keep_hash : "")));
}

int
sessions_list(struct db_conn *c, const char *user_id, int64_t now, int64_t idle,
    int64_t absolute, void (*fn)(const struct session_row *s, void *arg),
    void *arg)
{
	struct session_row row;
	struct db_stmt *s;
	enum db_status r;

	s = db_query(c,
	    "SELECT id_hash, created_at, last_seen, ip, agent FROM "
	    "sessions WHERE user_id = $1 AND created_at > $2 AND "
	    "last_seen > $3 ORDER BY last_seen DESC LIMIT 100",
	    DB_PARAMS(
	        DB_TEXT(user_id), DB_INT(now - absolute), DB_INT(now - idle)));
	if (s == NULL)
		return -1;
	while ((r = db_next(s)) == DB_ROW) {
		row.id_hash = db_text(s, 0);
		row.created_at = db_int(s, 1);
		row.last_seen = db_int(s, 2);
		row.ip = db_text(s, 3);
		row.agent = db_text(s, 4);
		fn(&row, arg);
	}
	db_done(s);
	return r == DB_DONE ? 0 : -1;
}

int
sessions_delete_own(struct db_conn *c, const char *user_id, const char *hash)
{
	if (db_exec(c,
	        "DELETE FROM sessions WHERE user_id = $1 AND "
	        "id_hash = $2",
	        DB_PARAMS(DB_TEXT(user_id), DB_TEXT(hash))) != DB_OK)
		return -1;
	return db_changes(c) == 1 ? 1 : 0;
}

enum db_status
tokens_insert(struct db_conn *c, const char *hash, const char *kind,
    const char *user_id, int64_t now, int64_t expires)
{
	return db_exec(c,
	    "INSERT INTO tokens (hash, kind, user_id, "
	    "created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
	    DB_PARAMS(DB_TEXT(hash), DB_TEXT(kind), DB_TEXT(user_id),
	        DB_INT(now), DB_INT(expires)));
}

enum token_state
tokens_peek(struct db_conn *c, const char *hash, const char *kind, int64_t now,
    char user_id[RAND_ID_LEN + 1])
{
	struct db_stmt *s;
	enum db_status r;
	enum token_state st = TOKEN_UNKNOWN;

	s = db_query(c,
	    "SELECT user_id, expires_at, used_at IS NOT NULL FROM "
	    "tokens WHERE hash = $1 AND kind = $2",
	    DB_PARAMS(DB_TEXT(hash), DB_TEXT(kind)));
	if (s == NULL)
		return TOKEN_ERROR;
	if ((r = db_next(s)) == DB_ROW) {
		snprintf(user_id, RAND_ID_LEN + 1, "%s", db_text(s, 0));
		if (db_int(s, 2))
			st = TOKEN_USED;
		else if (db_int(s, 1) <= now)
			st = TOKEN_EXPIRED;
		else
			st = TOKEN_OK;
	} else if (r != DB_DONE)
		st = TOKEN_ERROR;
	db_done(s);
	return st;
}

enum token_state
tokens_use(struct db_conn *c, const char *hash, const char *kind, int64_t now,
    char user_id[RAND_ID_LEN + 1])
{
	enum token_state st = tokens_peek(c, hash, kind, now, user_id);

	if (st != TOKEN_OK)
		return st;
	/* The used_at guard makes a racing second use change nothing. */
	if (db_exec(c,
	        "UPDATE tokens SET used_at = $2 WHERE hash = $1 AND "
	        "used_at IS NULL",
	        DB_PARAMS(DB_TEXT(hash), DB_INT(now))) != DB_OK)
		return TOKEN_ERROR;
	return db_changes(c) == 1 ? TOKEN_OK : TOKEN_USED;
}

int64_t
ratelimit_hit(struct db_conn *c, const char *key, int64_t window, int64_t now)
{
	struct db_stmt *s;
	int64_t n = -1;

	s = db_query(c,
	    "INSERT INTO rate_limits (key, window_start, count) "
	    "VALUES ($1, $2, 1) ON CONFLICT (key, window_start) DO UPDATE "
	    "SET count = rate_limits.count + 1 RETURNING count",
	    DB_PARAMS(DB_TEXT(key), DB_INT(now - now % window)));
	if (s != NULL && db_next(s) == DB_ROW)
		n = db_int(s, 0);
	/* Counted only once committed. */
	return db_finish(s) == DB_OK ? n : -1;
}

enum db_status
ratelimit_undo(struct db_conn *c, const char *key, int64_t window, int64_t now)
{
	return db_exec(c,
	    "UPDATE rate_limits SET count = count - 1 WHERE key = $1 AND "
	    "window_start = $2 AND count > 0",
	    DB_PARAMS(DB_TEXT(key), DB_INT(now - now % window)));
}

enum db_status
ratelimit_clear(struct db_conn *c, const char *key)
{
	return db_exec(c, "DELETE FROM rate_limits WHERE key = $1",
	    DB_PARAMS(DB_TEXT(key)));
}

enum db_status
audit_add(struct db_conn *c, const char *actor, const char *ip,
    const char *kind, const char *subject, const char *detail)
{
	char id[RAND_ID_LEN + 1];

	rand_id(id);
	return db_exec(c,
	    "INSERT INTO audit (id, at_us, actor, ip, kind, "
	    "subject, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)",
	    DB_PARAMS(DB_TEXT(id), DB_INT(clock_now_us()), DB_TEXT(actor),
	        DB_TEXT(ip), DB_TEXT(kind), DB_TEXT(subject), DB_TEXT(detail)));
}
