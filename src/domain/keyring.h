/*
 * The account's keyring (SECURITY.md 1.8 tier 1): one blob per account,
 * sealed by the browser under the user key UK (docs/accounts-keys.md), that
 * holds the pins of the keys its owner trusts. The server keeps it as
 * opaque bytes and cannot read or edit it; it only serialises writes: each
 * names the version it read (optimistic concurrency), so two tabs never
 * overwrite each other's pins unseen.
 */
#ifndef ST_KEYRING_H
#define ST_KEYRING_H

#include <stdint.h>

struct db;

#define KEYRING_MAX_B64 (1u << 20) /* the sealed blob, base64url characters */

enum keyring_status {
	KEYRING_OK,
	KEYRING_CONFLICT, /* another version is there: read it again */
	KEYRING_INVALID, /* not base64url, too short or too long */
	KEYRING_ERROR
};

/* The user's keyring: KEYRING_OK with *version (0: none yet) and *blob
 * (NULL for none; the caller frees it). */
enum keyring_status keyring_get(
    struct db *db, const char *uid, int64_t *version, char **blob);
/*
 * Stores blob if the keyring is still at version expect; on KEYRING_OK
 * *version is the new one, on KEYRING_CONFLICT the one there now.
 */
enum keyring_status keyring_put(struct db *db, const char *uid, int64_t expect,
    const char *blob, int64_t *version);

#endif
