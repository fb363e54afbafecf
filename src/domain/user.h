/*
 * An account as the domain layer sees it (SECURITY.md 1.7): struct user
 * and user_release are db/user_row.h's (re-exported here); the domain
 * adds the key id.
 */
#ifndef ST_USER_H
#define ST_USER_H

#include <stdint.h>

#include "db/user_row.h"
#include "util/rand.h"

/* The key id of a base64url X25519 public key: b64u(SHA-256(pk)[:16]).
 * -1 when pk is not 32 bytes. */
int user_key_id_of(const char *pk_b64, char out[RAND_ID_LEN + 1]);

#endif
