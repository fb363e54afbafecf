/* The secrets' check values in the database; see secret_checks_db.h. */
#include "util/common.h"

#include <sodium.h>

#include "db/db.h"
#include "db/secret_checks_db.h"
#include "tlog/note.h"
#include "util/rand.h"

/* Domain separation: these MACs are made for nothing else. */
#define CHECK_LABEL "securetransfer secret check v1"

/* b64u(HMAC-SHA-256(key = secret, CHECK_LABEL NUL name)). */
static void
check_value(const unsigned char secret[SECRET_LEN], const char *name,
    char out[SECRETS_HASH_LEN + 1])
{
	unsigned char h[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, secret, SECRET_LEN);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)CHECK_LABEL,
	    sizeof(CHECK_LABEL)); /* with its NUL */
	crypto_auth_hmacsha256_update(
	    &st, (const unsigned char *)name, strlen(name));
	crypto_auth_hmacsha256_final(&st, h);
	b64u_encode(out, SECRETS_HASH_LEN + 1, h, sizeof(h));
	sodium_memzero(&st, sizeof(st));
	sodium_memzero(h, sizeof(h));
}

/*
 * Records mac for name unless a value is there, then reads what is there:
 * of two nodes starting at once, the first insert wins and both compare
 * with it. 1 same, 0 different, -1 error.
 */
static int
record_and_compare(
    struct db_conn *c, const char *name, const char *mac, int64_t now)
{
	struct db_stmt *s;
	const char *have;
	int same = -1;

	if (db_exec(c,
	        "INSERT INTO secret_checks (name, mac, created_at) VALUES "
	        "($1, $2, $3) ON CONFLICT (name) DO NOTHING",
	        DB_PARAMS(DB_TEXT(name), DB_TEXT(mac), DB_INT(now))) != DB_OK)
		return -1;
	s = db_query(c, "SELECT mac FROM secret_checks WHERE name = $1",
	    DB_PARAMS(DB_TEXT(name)));
	if (s == NULL)
		return -1;
	if (db_next(s) == DB_ROW) {
		have = db_text(s, 0);
		same = have != NULL && strlen(have) == strlen(mac) &&
		    sodium_memcmp(have, mac, strlen(mac)) == 0;
	}
	db_done(s);
	return same;
}

enum secret_check
secret_checks_verify(
    struct db *db, const struct secrets *s, int64_t now, const char **which)
{
	const struct {
		const char *name; /* the file in server.secrets_dir */
		const unsigned char *key;
	} list[] = {
		{ "pepper", s->pepper },
		{ "server.key", s->server_key },
		{ "outbox.key", s->outbox_key },
		{ "log.key", s->log != NULL ? s->log->seed : NULL },
	};
	char mac[SECRETS_HASH_LEN + 1];
	enum secret_check rc = SECRET_CHECK_OK;
	struct db_conn *c = db_get(db);
	size_t i;
	int same;

	*which = NULL;
	for (i = 0; i < ST_ARRAY_LEN(list) && rc == SECRET_CHECK_OK; i++) {
		if (list[i].key == NULL)
			continue;
		check_value(list[i].key, list[i].name, mac);
		same = record_and_compare(c, list[i].name, mac, now);
		if (same == -1)
			rc = SECRET_CHECK_ERROR;
		else if (same == 0) {
			rc = SECRET_CHECK_MISMATCH;
			*which = list[i].name;
		}
	}
	db_put(c);
	return rc;
}
