/*
 * What the mailbox pages read (A7; see mailboxes.h): the mailboxes of a
 * user, one mailbox as a member sees it, and whom a member may add. Each
 * function takes and gives back its own connection; the rows reach the
 * caller through the callbacks of db/mailboxes_db.h, valid during the call.
 */
#ifndef ST_MAILBOXES_READ_H
#define ST_MAILBOXES_READ_H

#include "domain/mailboxes.h"

struct db;

/* Calls fn for each mailbox uid belongs to: 0, or -1. */
int mailboxes_of_user(
    struct db *db, const char *uid, mbx_party_fn fn, void *arg);

/* The role of uid in mailbox (8 bytes): 1 a member, 0 not (or no such
 * mailbox, or not a mailbox id), -1 error. */
int mailboxes_role(
    struct db *db, const char *mailbox, const char *uid, char role[8]);

/* Where mailboxes_view sends the mailbox's rows. */
struct mailboxes_sink {
	void (*key)(const struct mbx_key *k, void *arg);
	mbx_party_fn member;
	void (*grant)(const struct mbx_grant *g, void *arg);
	void (*event)(const struct mbx_event *e, void *arg);
	void *key_arg, *member_arg, *grant_arg, *event_arg;
};

/* At most this many history lines. */
#define MBX_HISTORY_MAX 100

/*
 * Mailbox as member uid sees it: *mb (user_release it, also on error),
 * its key versions, members, the grants to uid and the history, into s.
 * role: uid's role. 1, 0 uid is not a member (nothing read), -1 error.
 */
int mailboxes_view(struct db *db, const char *mailbox, const char *uid,
    char role[8], struct user *mb, const struct mailboxes_sink *s);

/*
 * Whom member uid of mailbox may add: the verified account (not a
 * mailbox) of email with keys, into *u (user_release it when FOUND).
 */
enum mbx_candidate {
	MBX_CAND_FOUND,
	MBX_CAND_NONE,
	MBX_CAND_NOT_MEMBER,
	MBX_CAND_ERROR
};
enum mbx_candidate mailboxes_candidate(struct db *db, const char *mailbox,
    const char *uid, const char *email, struct user *u);

#endif
