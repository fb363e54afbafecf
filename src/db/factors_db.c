/* SQL for the second factor; see factors_db.h. */
#include "util/common.h"

#include "db/factors_db.h"

#define CRED_COLS \
	"id, public_key, alg, sign_count, name, created_at, " \
	"COALESCE(last_used_at, 0)"

static void
cred_row(struct db_stmt *s, struct fdb_cred *cr)
{
	cr->id = db_text(s, 0);
	cr->public_key = db_text(s, 1);
	cr->alg = db_int(s, 2);
	cr->sign_count = db_int(s, 3);
	cr->name = db_text(s, 4);
	cr->created_at = db_int(s, 5);
	cr->last_used_at = db_int(s, 6);
}

static int
each_cred(struct db_stmt *s, fdb_cred_fn fn, void *arg)
{
	struct fdb_cred cr;
	enum db_status r;
	int n = 0;

	if (s == NULL)
		return -1;
	while ((r = db_next(s)) == DB_ROW) {
		cred_row(s, &cr);
		fn(&cr, arg);
		n++;
	}
	db_done(s);
	return r == DB_DONE ? n : -1;
}

int
fdb_creds(struct db_conn *c, const char *user, fdb_cred_fn fn, void *arg)
{
	int n = each_cred(db_query(c,
	                      "SELECT " CRED_COLS " FROM webauthn_credentials "
	                      "WHERE user_id = $1 ORDER BY created_at, id",
	                      DB_PARAMS(DB_TEXT(user))),
	    fn, arg);

	return n < 0 ? -1 : 0;
}

int
fdb_cred_get(struct db_conn *c, const char *user, const char *id,
    fdb_cred_fn fn, void *arg)
{
	return each_cred(db_query(c,
	                     "SELECT " CRED_COLS " FROM webauthn_credentials "
	                     "WHERE user_id = $1 AND id = $2",
	                     DB_PARAMS(DB_TEXT(user), DB_TEXT(id))),
	    fn, arg);
}

enum db_status
fdb_cred_insert(
    struct db_conn *c, const char *user, const struct fdb_cred *cr, int64_t now)
{
	return db_exec(c,
	    "INSERT INTO webauthn_credentials (id, user_id, public_key, alg, "
	    "sign_count, name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
	    DB_PARAMS(DB_TEXT(cr->id), DB_TEXT(user), DB_TEXT(cr->public_key),
	        DB_INT(cr->alg), DB_INT(cr->sign_count), DB_TEXT(cr->name),
	        DB_INT(now)));
}

int
fdb_cred_used(struct db_conn *c, const char *user, const char *id,
    int64_t count, int64_t now)
{
	/* A counter of 0 means the authenticator keeps none (passkeys that
	 * sync); once one was seen it must grow (a cloned key lags). */
	if (db_exec(c,
	        "UPDATE webauthn_credentials SET sign_count = $3, "
	        "last_used_at = $4 WHERE user_id = $1 AND id = $2 AND "
	        "(($3 = 0 AND sign_count = 0) OR $3 > sign_count)",
	        DB_PARAMS(DB_TEXT(user), DB_TEXT(id), DB_INT(count),
	            DB_INT(now))) != DB_OK)
		return -1;
	return db_changes(c) == 1;
}

int
fdb_cred_delete(struct db_conn *c, const char *user, const char *id)
{
	if (db_exec(c,
	        "DELETE FROM webauthn_credentials WHERE user_id = $1 AND "
	        "id = $2",
	        DB_PARAMS(DB_TEXT(user), DB_TEXT(id))) != DB_OK)
		return -1;
	return db_changes(c) > 0;
}

int
fdb_totp_get(struct db_conn *c, const char *user, char **secret, int *confirmed,
    int64_t *created_at)
{
	struct db_stmt *s;
	int found;

	*secret = NULL;
	s = db_query(c,
	    "SELECT secret, confirmed_at IS NOT NULL, created_at FROM totp "
	    "WHERE user_id = $1",
	    DB_PARAMS(DB_TEXT(user)));
	if ((found = db_first(s)) != 1)
		return found;
	*secret = db_dup_text0(s, 0);
	*confirmed = db_int(s, 1) != 0;
	*created_at = db_int(s, 2);
	db_done(s);
	return 1;
}

enum db_status
fdb_totp_put(
    struct db_conn *c, const char *user, const char *sealed, int64_t now)
{
	enum db_status r;

	r = db_exec(c,
	    "DELETE FROM totp WHERE user_id = $1 AND confirmed_at IS NULL",
	    DB_PARAMS(DB_TEXT(user)));
	if (r != DB_OK)
		return r;
	return db_exec(c,
	    "INSERT INTO totp (user_id, secret, created_at) VALUES ($1, $2, "
	    "$3)",
	    DB_PARAMS(DB_TEXT(user), DB_TEXT(sealed), DB_INT(now)));
}

enum db_status
fdb_totp_confirm(struct db_conn *c, const char *user, int64_t step, int64_t now)
{
	enum db_status r = db_exec(c,
	    "UPDATE totp SET confirmed_at = $2, last_step = $3 WHERE "
	    "user_id = $1 AND confirmed_at IS NULL",
	    DB_PARAMS(DB_TEXT(user), DB_INT(now), DB_INT(step)));

	if (r == DB_OK && db_changes(c) != 1)
		return DB_CONSTRAINT;
	return r;
}

int
fdb_totp_use(struct db_conn *c, const char *user, int64_t step)
{
	/* One statement decides: two requests with one code cannot both
	 * find the step unused. */
	if (db_exec(c,
	        "UPDATE totp SET last_step = $2 WHERE user_id = $1 AND "
	        "confirmed_at IS NOT NULL AND last_step < $2",
	        DB_PARAMS(DB_TEXT(user), DB_INT(step))) != DB_OK)
		return -1;
	return db_changes(c) == 1;
}

int
fdb_totp_delete(struct db_conn *c, const char *user)
{
	if (db_exec(c, "DELETE FROM totp WHERE user_id = $1",
	        DB_PARAMS(DB_TEXT(user))) != DB_OK)
		return -1;
	return db_changes(c) > 0;
}

enum db_status
fdb_recovery_replace(struct db_conn *c, const char *user,
    const char *const *hashes, size_t n, int64_t now)
{
	enum db_status r;
	size_t i;

	if ((r = fdb_recovery_delete(c, user)) != DB_OK)
		return r;
	for (i = 0; i < n; i++)
		if ((r = db_exec(c,
		         "INSERT INTO recovery_codes (user_id, code_hash, "
		         "created_at) VALUES ($1, $2, $3)",
		         DB_PARAMS(DB_TEXT(user), DB_TEXT(hashes[i]),
		             DB_INT(now)))) != DB_OK)
			return r;
	return DB_OK;
}

int
fdb_recovery_use(
    struct db_conn *c, const char *user, const char *hash, int64_t now)
{
	if (db_exec(c,
	        "UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 "
	        "AND code_hash = $2 AND used_at IS NULL",
	        DB_PARAMS(DB_TEXT(user), DB_TEXT(hash), DB_INT(now))) != DB_OK)
		return -1;
	return db_changes(c) == 1;
}

int64_t
fdb_recovery_left(struct db_conn *c, const char *user)
{
	return db_int_of(c,
	    "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND "
	    "used_at IS NULL",
	    DB_PARAMS(DB_TEXT(user)));
}

enum db_status
fdb_recovery_delete(struct db_conn *c, const char *user)
{
	return db_exec(c, "DELETE FROM recovery_codes WHERE user_id = $1",
	    DB_PARAMS(DB_TEXT(user)));
}

int64_t
fdb_count(struct db_conn *c, const char *user)
{
	return db_int_of(c,
	    "SELECT (SELECT COUNT(*) FROM webauthn_credentials WHERE "
	    "user_id = $1) + (SELECT COUNT(*) FROM totp WHERE user_id = $1 "
	    "AND confirmed_at IS NOT NULL)",
	    DB_PARAMS(DB_TEXT(user)));
}

int
fdb_enrolled(struct db_conn *c, const char *user)
{
	int64_t n = fdb_count(c, user);

	return n < 0 ? -1 : n > 0;
}

enum db_status
fdb_challenge_put(
    struct db_conn *c, const char *id_hash, const struct fdb_challenge *ch)
{
	enum db_status r;

	r = db_exec(c, "DELETE FROM factor_challenges WHERE id_hash = $1",
	    DB_PARAMS(DB_TEXT(id_hash)));
	if (r != DB_OK)
		return r;
	return db_exec(c,
	    "INSERT INTO factor_challenges (id_hash, user_id, purpose, "
	    "challenge, expires_at, old_session) VALUES ($1, $2, $3, $4, $5, "
	    "$6)",
	    DB_PARAMS(DB_TEXT(id_hash), DB_TEXT(ch->user_id),
	        DB_TEXT(ch->purpose), DB_TEXT(ch->challenge),
	        DB_INT(ch->expires_at),
	        ch->old_session[0] ? DB_TEXT(ch->old_session) : DB_NULL));
}

int
fdb_challenge_get(struct db_conn *c, const char *id_hash, int64_t now,
    struct fdb_challenge *ch)
{
	struct db_stmt *s;
	int found;

	memset(ch, 0, sizeof(*ch));
	s = db_query(c,
	    "SELECT user_id, purpose, challenge, COALESCE(old_session, ''), "
	    "expires_at FROM factor_challenges WHERE id_hash = $1 AND "
	    "expires_at > $2",
	    DB_PARAMS(DB_TEXT(id_hash), DB_INT(now)));
	if ((found = db_first(s)) != 1)
		return found;
	snprintf(ch->user_id, sizeof(ch->user_id), "%s", db_text(s, 0));
	snprintf(ch->purpose, sizeof(ch->purpose), "%s", db_text(s, 1));
	snprintf(ch->challenge, sizeof(ch->challenge), "%s", db_text(s, 2));
	snprintf(ch->old_session, sizeof(ch->old_session), "%s", db_text(s, 3));
	ch->expires_at = db_int(s, 4);
	db_done(s);
	return 1;
}

int
fdb_challenge_take(struct db_conn *c, const char *id_hash)
{
	if (db_exec(c, "DELETE FROM factor_challenges WHERE id_hash = $1",
	        DB_PARAMS(DB_TEXT(id_hash))) != DB_OK)
		return -1;
	return db_changes(c) > 0;
}

enum db_status
fdb_challenges_delete_user(struct db_conn *c, const char *user)
{
	return db_exec(c, "DELETE FROM factor_challenges WHERE user_id = $1",
	    DB_PARAMS(DB_TEXT(user)));
}

enum db_status
fdb_challenges_expire(struct db_conn *c, int64_t now)
{
	return db_exec(c,
	    "DELETE FROM factor_challenges WHERE expires_at <= $1",
	    DB_PARAMS(DB_INT(now)));
}

int
fdb_session_times(struct db_conn *c, const char *session_hash,
    int64_t *created_at, int64_t *factor_at)
{
	struct db_stmt *s;
	int found;

	s = db_query(c,
	    "SELECT created_at, factor_at FROM sessions WHERE id_hash = $1",
	    DB_PARAMS(DB_TEXT(session_hash)));
	if ((found = db_first(s)) != 1)
		return found;
	*created_at = db_int(s, 0);
	*factor_at = db_int(s, 1);
	db_done(s);
	return 1;
}

enum db_status
fdb_session_set_factor_at(
    struct db_conn *c, const char *session_hash, int64_t at)
{
	return db_exec(c,
	    "UPDATE sessions SET factor_at = $2 WHERE id_hash = $1",
	    DB_PARAMS(DB_TEXT(session_hash), DB_INT(at)));
}
