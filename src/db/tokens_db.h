/* SQL for the one-time tokens mailed for verification and password reset. */
#ifndef ST_DB_TOKENS_DB_H
#define ST_DB_TOKENS_DB_H

#include <stdint.h>

#include "db/db.h"
#include "util/rand.h"

enum token_state {
	TOKEN_OK,
	TOKEN_UNKNOWN,
	TOKEN_USED,
	TOKEN_EXPIRED,
	TOKEN_ERROR
};
enum db_status tokens_insert(struct db_conn *c, const char *hash,
    const char *kind, const char *user_id, int64_t now, int64_t expires);
/* Marks the token used (in the caller's transaction); user_id out. */
enum token_state tokens_use(struct db_conn *c, const char *hash,
    const char *kind, int64_t now, char user_id[RAND_ID_LEN + 1]);
/* Checks without using. */
enum token_state tokens_peek(struct db_conn *c, const char *hash,
    const char *kind, int64_t now, char user_id[RAND_ID_LEN + 1]);

/* Deletes the user's tokens of one kind, or of every kind when kind is
 * NULL. */
enum db_status tokens_delete_user(
    struct db_conn *c, const char *user_id, const char *kind);

#endif
