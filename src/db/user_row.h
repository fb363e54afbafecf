/*
 * A row of the users table as every layer sees it (SECURITY.md 1.7). db/
 * owns the type because db/ fills it (users_db.c, sessions_db.c); the
 * domain reaches it through domain/user.h. The strings are heap copies
 * owned by the struct: user_release frees them.
 */
#ifndef ST_DB_USER_ROW_H
#define ST_DB_USER_ROW_H

#include <stdint.h>

#include "util/rand.h"

/* Key material made and wrapped in the browser; all base64url. */
struct user_keys {
	char *kdf_salt; /* 16 bytes */
	int64_t kdf_m, kdf_t, kdf_p; /* Argon2id: KiB, passes, lanes */
	char *wrapped_uk_pw; /* UK under KEK_pw */
	char *wrapped_uk_rec; /* UK under KEK_rec */
	char *x25519_pk;
	char *ed25519_pk;
	char *wrapped_x25519_sk; /* under UK */
	char *wrapped_ed25519_sk; /* under UK */
};

struct user {
	char id[RAND_ID_LEN + 1];
	char *email;
	char *name;
	int is_admin;
	int verified;
	char *verifier; /* Argon2id PHC string */
	char *key_id; /* of x25519_pk */
	struct user_keys keys;
	/*
	 * Set only for the outside sender of a request (id "external"): the
	 * one message this principal may upload and send. Empty while the
	 * message is still to be made.
	 */
	char scope_msg[RAND_ID_LEN + 1];
	/* A department mailbox (A7): no password, members act for it. */
	int is_mailbox;
	/* Blocked by an administrator: no login, no session (O6). */
	int blocked;
	/*
	 * Set when a member acts for a mailbox: this struct is then the
	 * mailbox and member_id the account of the person behind it, whom
	 * the events name (migration 0012).
	 */
	char member_id[RAND_ID_LEN + 1];
	/* "nl" or "en": the pages' and the mails' language (U1). */
	char lang[3];
};

/* Frees the strings and zeroes the struct; both accept a zeroed struct. */
void user_keys_release(struct user_keys *k);
void user_release(struct user *u);

#endif
