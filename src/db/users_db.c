/* SQL for accounts; see users_db.h. */
#include "util/common.h"

#include "db/users_db.h"

void
users_from_row(struct db_stmt *s, struct user *u)
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
		users_from_row(s, u);
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
	                    "SELECT " USERS_DB_COLS " FROM users WHERE "
	                    "email = $1",
	                    DB_PARAMS(DB_TEXT(email))),
	    u);
}

int
users_by_id(struct db_conn *c, const char *id, struct user *u)
{
	return one_user(db_query(c,
	                    "SELECT " USERS_DB_COLS " FROM users WHERE "
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
users_delete_unverified(struct db_conn *c, const char *id)
{
	return db_exec(c,
	    "DELETE FROM users WHERE id = $1 AND verified_at IS "
	    "NULL",
	    DB_PARAMS(DB_TEXT(id)));
}

enum db_status
users_promote_if_email(struct db_conn *c, const char *id, const char *email)
{
	return db_exec(c,
	    "UPDATE users SET is_admin = 1 WHERE id = $1 AND "
	    "email = $2",
	    DB_PARAMS(DB_TEXT(id), DB_TEXT(email)));
}
