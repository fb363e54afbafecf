/* The one access rule for a message; see access.h. */
#include "util/common.h"

#include "db/mailboxes_db.h"
#include "db/messages_db.h"
#include "db/receive_db.h"
#include "domain/access.h"
#include "util/clock.h"

#define OK st_res(ST_OK, NULL, NULL)
#define NOT_FOUND st_res(ST_NOT_FOUND, "not_found", "Not found")

static int
is_state(const struct msg_row *m, const char *s)
{
	return strcmp(m->state, s) == 0;
}

struct st_result
access_live(const struct msg_row *m)
{
	int sent = is_state(m, "sent") || is_state(m, "opened") ||
	    is_state(m, "downloaded");

	if (is_state(m, "revoked"))
		return st_res(
		    ST_GONE, "revoked", "The sender withdrew this message");
	if (is_state(m, "expired") || (sent && m->expires_at <= clock_now()))
		return st_res(ST_GONE, "expired", "This message has expired");
	return sent ? OK : NOT_FOUND;
}

/* 1 when the member behind u still belongs to the mailbox u is, or u is
 * no mailbox acted for; 0 not (any more), -1 error. */
static int
still_member(struct db_conn *c, const struct user *u)
{
	char role[8];

	if (!u->is_mailbox || u->member_id[0] == '\0')
		return 1;
	return mbx_db_role(c, u->id, u->member_id, role);
}

void
access_cap_hash(const struct msg_env *env, const char *token,
    char out[SECRETS_HASH_LEN + 1])
{
	secrets_keyed_hash(env->sec, "capability", token, out);
}

/* 1 when token (the cookie's value) opens message id now. */
static int
capable(const struct msg_env *env, struct db_conn *c, const char *id,
    const char *token)
{
	char h[SECRETS_HASH_LEN + 1];

	if (token == NULL || strlen(token) != RAND_TOKEN_LEN)
		return 0;
	access_cap_hash(env, token, h);
	return cap_valid(c, h, id, clock_now());
}

/* The party for u given still_member's answer: in person, or through
 * the mailbox u acts for. */
static enum access_party
as_party(int member, enum access_party person, enum access_party mailbox,
    const struct user *u)
{
	if (member == -1)
		return ACCESS_FAILED;
	if (member == 0)
		return ACCESS_NONE;
	return u->is_mailbox && u->member_id[0] != '\0' ? mailbox : person;
}

enum access_party
access_message(const struct msg_env *env, struct db_conn *c,
    const struct user *u, const struct msg_row *m, const char *cap_token)
{
	int r;

	if (u == NULL) {
		if (strcmp(m->rcpt_kind, "link") != 0)
			return ACCESS_NONE;
		r = capable(env, c, m->id, cap_token);
		return r == -1 ? ACCESS_FAILED :
		    r == 1     ? ACCESS_OUTSIDER :
		                 ACCESS_NONE;
	}
	if (strcmp(m->sender_id, u->id) == 0) {
		/* The outside sender of a request: one message, named by
		 * the request's capability. */
		if (strcmp(u->id, MSG_EXTERNAL) == 0)
			return u->scope_msg[0] != '\0' &&
			        strcmp(m->id, u->scope_msg) == 0 ?
			    ACCESS_SENDER :
			    ACCESS_NONE;
		return as_party(still_member(c, u), ACCESS_SENDER,
		    ACCESS_MAILBOX_SENDER, u);
	}
	if (m->rcpt_user_id == NULL || strcmp(m->rcpt_user_id, u->id) != 0)
		return ACCESS_NONE;
	/* Not yet sent (or never): the recipient does not know of it. */
	if (access_live(m).st == ST_NOT_FOUND)
		return ACCESS_NONE;
	return as_party(
	    still_member(c, u), ACCESS_RECIPIENT, ACCESS_MAILBOX_RECIPIENT, u);
}

int
access_is_sender(enum access_party p)
{
	return p == ACCESS_SENDER || p == ACCESS_MAILBOX_SENDER;
}

int
access_is_recipient(enum access_party p)
{
	return p == ACCESS_RECIPIENT || p == ACCESS_MAILBOX_RECIPIENT;
}

struct st_result
access_check(enum access_party p, enum access_action a, const struct msg_row *m)
{
	if (p == ACCESS_FAILED)
		return st_res(ST_ERROR, NULL, NULL);
	if (p == ACCESS_NONE)
		return NOT_FOUND;
	switch (a) {
	case ACCESS_READ:
		/* The sender and the recipient accounts see the document in
		 * every state they know it in; a link reader only while it
		 * is live (expired and withdrawn say so). */
		return p == ACCESS_OUTSIDER ? access_live(m) : OK;
	case ACCESS_FILES:
		return access_live(m);
	case ACCESS_MANAGE:
		return access_is_sender(p) ? OK : NOT_FOUND;
	}
	return NOT_FOUND;
}

struct st_result
access_manage(const struct msg_env *env, struct db_conn *c,
    const struct user *u, const struct msg_row *m)
{
	return access_check(
	    access_message(env, c, u, m, NULL), ACCESS_MANAGE, m);
}
