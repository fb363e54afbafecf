/*
 * Documents from outside (Q1-Q4; SECURITY.md §1.6). An employee's request
 * (Q1) mails an outside person a single-use link /q/<token>#<fp>, fp being
 * the employee's key id; a visitor of the public drop-off page (Q4) gets a
 * token of their own once they prove a little work, and may use it when
 * they have confirmed their e-mail address with a code. Either way the
 * token then lets its holder make one message to that employee, upload
 * its files and send it, acting as the sender "external" scoped to that
 * one message. The server never sees K: the uploader's browser wraps it to
 * the employee's key after checking it against fp.
 */
#ifndef ST_REQUESTS_H
#define ST_REQUESTS_H

#include <stdint.h>

#include "db/requests_db.h"
#include "domain/messages.h"

#define REQ_TEXT_MAX 10000
#define REQ_CODE_LEN 6
/* Messages one token may start (each reload while uploading is one). */
#define REQ_MESSAGES_MAX 20

struct req_create_in {
	const char *name; /* the outside person */
	const char *email;
	const char *text; /* the accompanying text, may be "" */
	const char *fp; /* the key id the employee's browser put in the link */
	/* "standard" (the server mails the link), "strict" (the employee
	 * sends it from their own mail program, so the server writes no
	 * link) or NULL: the organisation's policy decides (delivery.h). */
	const char *delivery;
	const char *lang; /* the person outside reads "nl" or "en"; NULL: nl */
};

struct req_created {
	char id[RAND_ID_LEN + 1];
	int64_t expires_at;
	int strict; /* no mail was sent: the employee delivers the link */
	char token[RAND_TOKEN_LEN + 1]; /* strict only, else "" */
};

/* Q1: checks, stores and (standard) mails a request. out->token: wipe. */
struct st_result requests_create(const struct msg_env *env,
    const struct user *employee, const struct req_create_in *in,
    struct req_created *out);

/* What the holder of a token sees. */
struct req_view {
	struct req_row r;
	struct user employee; /* name, email, key_id, keys.x25519_pk */
	int64_t max_bytes; /* the most the documents may hold */
};

void req_view_release(struct req_view *v);

/*
 * Loads the request a token names and checks it can still be used: 404
 * unknown, 410 request_used / request_expired, 403 not_confirmed (a
 * drop-off before its code). On ST_OK release v.
 */
struct st_result requests_open(
    const struct msg_env *env, const char *token, struct req_view *v);

/* The principal the token's holder acts as (a heap user; user_release). */
struct user *requests_principal(const struct req_view *v);

/*
 * Makes the message for the request's documents, to the employee's key
 * the request named; a message of the request still uploading (a reload)
 * is aborted first, as its K is gone with the page.
 */
struct st_result requests_message_create(const struct msg_env *env,
    const struct req_view *v, const struct msg_create_in *in,
    struct msg_created *out);

/* Q4: the addresses that accept drop-offs, with their names. */
typedef void (*dropoff_fn)(const struct user *u, void *arg);
int dropoff_addresses(const struct msg_env *env, dropoff_fn fn, void *arg);

/* Q4: a proof-of-work challenge ("ts.rand.mac"); out holds 128 bytes. */
struct pow_parts {
	char payload[64]; /* "ts.rand": what the MAC covers */
	char rnd[RAND_ID_LEN + 1]; /* its single-use key */
	char mac[SECRETS_HASH_LEN + 1];
	long long ts;
};
/* Splits a challenge and checks the nonce's form: 0, or -1 when either is
 * malformed. Says nothing of the MAC, the age or the work. */
int dropoff_pow_parse(
    const char *challenge, const char *nonce, struct pow_parts *out);
void dropoff_challenge(const struct msg_env *env, char *out, size_t outlen);

struct dropoff_in {
	const char *to; /* one of dropoff.addresses */
	const char *name; /* the visitor */
	const char *email;
	const char *challenge, *nonce; /* the proof of work */
	const char *lang; /* the visitor's page language; NULL: nl */
};

/* Q4: checks the work and the limits, mails a code; token out. */
struct st_result dropoff_start(const struct msg_env *env,
    const struct dropoff_in *in, char token[RAND_TOKEN_LEN + 1],
    int64_t *code_expires_at);
/* Q4: the code from the mail; a right one confirms the token. */
struct st_result dropoff_verify(const struct msg_env *env, const char *token,
    const char *code, int64_t *attempts_left);

#endif
