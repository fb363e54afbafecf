/* SQL for requests and drop-offs (migration 0009). */
#ifndef ST_REQUESTS_DB_H
#define ST_REQUESTS_DB_H

#include <stdint.h>

#include "db/db.h"
#include "util/rand.h"
#include "util/secrets.h"

struct req_row {
	char id[RAND_ID_LEN + 1];
	char kind[16]; /* request | dropoff */
	char employee_id[RAND_ID_LEN + 1];
	char key_id[RAND_ID_LEN + 1];
	char *ext_email, *ext_name, *text;
	int64_t created_at, expires_at;
	int64_t confirmed_at; /* 0: not yet (a drop-off before its code) */
	char code_hash[SECRETS_HASH_LEN + 1]; /* "" when none */
	int64_t code_expires_at, failures;
	char message_id[RAND_ID_LEN + 1]; /* "" when none */
	int64_t used_at; /* 0: not used */
	char lang[3]; /* "nl", "en": the person outside reads this (U1) */
};

void req_row_release(struct req_row *r);

/* token_hash is the SHA-256 (b64u) of the link's token. */
enum db_status req_insert(
    struct db_conn *c, const struct req_row *r, const char *token_hash);
/* 1 found, 0 absent, -1 error. */
int req_by_token_hash(
    struct db_conn *c, const char *token_hash, struct req_row *out);
/* The message being uploaded for the request. */
enum db_status req_set_message(
    struct db_conn *c, const char *id, const char *msg_id);
/* Spends the request on msg_id: 1 done, 0 already used, -1 error. */
int req_use(struct db_conn *c, const char *id, const char *msg_id, int64_t now);
/* How many messages request id has made, or -1. */
int64_t req_messages(struct db_conn *c, const char *id);
/* One more wrong code; returns the new count, or -1. */
int64_t req_code_fail(struct db_conn *c, const char *id);
enum db_status req_confirm(struct db_conn *c, const char *id, int64_t now);

/* Deletes the requests that expired before `before` (housekeeping): their
 * outside person's name and address need not be kept. */
enum db_status req_purge_expired(struct db_conn *c, int64_t before);

#endif
