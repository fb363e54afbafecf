/* The mailbox pages' reads; see mailboxes_read.h. */
#include "util/common.h"

#include "db/db.h"
#include "db/users_db.h"
#include "domain/mailboxes_read.h"
#include "util/rand.h"

int
mailboxes_of_user(struct db *db, const char *uid, mbx_party_fn fn, void *arg)
{
	struct db_conn *c = db_get(db);
	int r = mbx_db_of_user(c, uid, fn, arg);

	db_put(c);
	return r;
}

static int
role_on(struct db_conn *c, const char *mailbox, const char *uid, char role[8])
{
	return rand_id_valid(mailbox) ? mbx_db_role(c, mailbox, uid, role) : 0;
}

int
mailboxes_role(
    struct db *db, const char *mailbox, const char *uid, char role[8])
{
	struct db_conn *c = db_get(db);
	int r = role_on(c, mailbox, uid, role);

	db_put(c);
	return r;
}

int
mailboxes_view(struct db *db, const char *mailbox, const char *uid,
    char role[8], struct user *mb, const struct mailboxes_sink *s)
{
	struct db_conn *c = db_get(db);
	int r = role_on(c, mailbox, uid, role);

	if (r == 1 &&
	    (users_by_id(c, mailbox, mb) != 1 ||
	        mbx_db_keys(c, mb->id, s->key, s->key_arg) != 0 ||
	        mbx_db_members(c, mb->id, s->member, s->member_arg) != 0 ||
	        mbx_db_grants(c, mb->id, uid, s->grant, s->grant_arg) != 0 ||
	        mbx_db_history(
	            c, mb->id, MBX_HISTORY_MAX, s->event, s->event_arg) != 0))
		r = -1;
	db_put(c);
	return r;
}

enum mbx_candidate
mailboxes_candidate(struct db *db, const char *mailbox, const char *uid,
    const char *email, struct user *u)
{
	struct db_conn *c = db_get(db);
	enum mbx_candidate out;
	char role[8];
	int r = role_on(c, mailbox, uid, role), found;

	if (r != 1) {
		db_put(c);
		return r == 0 ? MBX_CAND_NOT_MEMBER : MBX_CAND_ERROR;
	}
	found = users_by_email(c, email, u);
	db_put(c);
	if (found == 1 &&
	    (u->is_mailbox || !u->verified || u->key_id == NULL)) {
		user_release(u);
		found = 0;
	}
	out = found == 1 ? MBX_CAND_FOUND :
	    found == 0   ? MBX_CAND_NONE :
	                   MBX_CAND_ERROR;
	return out;
}
