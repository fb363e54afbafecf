/*
 * What a reader of a message is handed besides its row (docs/receive.md):
 * its files, the sealed manifest, the sender with the key that signed,
 * and what opens K for this reader. The access rule (access.h) decided
 * before that the reader may see the message; this only reads.
 */
#ifndef ST_MSG_VIEW_H
#define ST_MSG_VIEW_H

#include "db/messages_db.h"
#include "db/receive_db.h"
#include "domain/kt_log.h"
#include "domain/messages.h"

enum msg_view_as {
	MSG_VIEW_SENDER, /* adds the self-stanza, the lock and resuming */
	MSG_VIEW_RECIPIENT, /* adds the recipient's stanza */
	MSG_VIEW_LINK, /* adds R_srv (the link stanza is in sealed) */
};

struct msg_view {
	struct file_row *files; /* nfiles, by index */
	size_t nfiles;
	struct msg_sealed sealed; /* all NULL when there is none yet */
	/* The sender's account (not for one from outside), with the key
	 * version a mailbox signed with, and its log proof. */
	int sender_found;
	struct user sender;
	struct kt_log sender_log;
	/* The reader's stanza and its key id: the recipient's, or the
	 * sender's self-stanza; NULL when there is none. */
	char *stanza;
	char stanza_kid[RAND_ID_LEN + 1];
	/* The sender: five wrong codes locked the message; in strict mode
	 * their sealed copy of S (NULL none). */
	int otp_locked;
	char *link_secret_sealed;
	/* R_srv: for the link reader, and for the sender of a link message
	 * still uploading; NULL otherwise (wiped on release). */
	char *r_srv;
	/* The sender of an account message still uploading: the recipient
	 * account as it is now, and the log proof of its key. */
	int rcpt_found;
	struct user rcpt;
	struct kt_log rcpt_log;
};

/*
 * Reads the view of m for reader (NULL for a link reader) as as; parts
 * the database does not give stay empty, as a reader without them would
 * see. Release with msg_view_release.
 */
void msg_view_get(const struct msg_env *env, const struct msg_row *m,
    const struct user *reader, enum msg_view_as as, struct msg_view *out);
void msg_view_release(struct msg_view *v);

#endif
