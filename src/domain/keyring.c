/* The account keyring; see keyring.h. */
#include "util/common.h"

#include "db/db.h"
#include "db/keyrings_db.h"
#include "domain/keyring.h"
#include "util/clock.h"
#include "util/rand.h"

/* nonce (12) + AES-GCM tag (16) at least, as base64url. */
#define KEYRING_MIN_B64 38

enum keyring_status
keyring_get(struct db *db, const char *uid, int64_t *version, char **blob)
{
	struct db_conn *c = db_get(db);
	int found = keyrings_db_get(c, uid, version, blob);

	db_put(c);
	return found == -1 ? KEYRING_ERROR : KEYRING_OK;
}

static int
blob_ok(const char *blob)
{
	size_t n = strlen(blob), i;

	if (n < KEYRING_MIN_B64 || n > KEYRING_MAX_B64 || n % 4 == 1)
		return 0;
	for (i = 0; i < n; i++) {
		char ch = blob[i];

		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		        (ch >= '0' && ch <= '9') || ch == '-' || ch == '_'))
			return 0;
	}
	return 1;
}

enum keyring_status
keyring_put(struct db *db, const char *uid, int64_t expect, const char *blob,
    int64_t *version)
{
	struct db_conn *c;
	enum keyring_status st = KEYRING_ERROR;
	char *now_blob = NULL;
	int r;

	if (!blob_ok(blob) || expect < 0)
		return KEYRING_INVALID;
	c = db_get(db);
	r = keyrings_db_put(c, uid, expect, blob, clock_now());
	if (r == 1) {
		*version = expect + 1;
		st = KEYRING_OK;
	} else if (r == 0 && keyrings_db_get(c, uid, version, &now_blob) != -1)
		st = KEYRING_CONFLICT;
	free(now_blob);
	db_put(c);
	return st;
}
