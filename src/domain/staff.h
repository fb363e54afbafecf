/*
 * Administering accounts (O6, the Accounts page of Beheer and
 * securetransferd admin user ...): find and read accounts, block and
 * unblock (a blocked account cannot log in and its sessions end), end
 * all sessions, give and take the administrator role (never from the last
 * administrator), and mail a new verification link. There is no password
 * or key reset by an administrator: it would hand the administrator the
 * account's keys (SECURITY.md 1.6-1.7). See admin.h for the shared types.
 */
#ifndef ST_STAFF_H
#define ST_STAFF_H

#include <stddef.h>
#include <stdint.h>

#include "domain/admin.h"
#include "envelope/keyid.h"
#include "util/rand.h"

struct staff_key_change {
	int64_t at; /* seconds */
	char kind[32]; /* registered, verified, changed, reset */
	char fingerprint[KEYID_WORDS_MAX]; /* "" when the event names none */
};

struct staff_account {
	char id[RAND_ID_LEN + 1];
	char *email, *name;
	char key_id[RAND_ID_LEN + 1]; /* "" before keys */
	char fingerprint[KEYID_WORDS_MAX]; /* five words, or "" */
	int is_admin, verified, blocked, is_mailbox, factor;
	int64_t created_at, last_login_at, keys_changed_at, blocked_at;
	int64_t sessions; /* live ones (staff_get only) */
	struct staff_key_change *history; /* staff_get only */
	size_t nhistory;
};

struct staff_list {
	struct staff_account *a;
	size_t n;
	int64_t total; /* all that match, for paging */
};

void staff_account_release(struct staff_account *a);
void staff_list_release(struct staff_list *l);

#define STAFF_PAGE 25

/* Persons whose name or address contains q ("" all) with status "",
 * unverified, active, blocked or admin; page from 0. */
struct st_result staff_search(const struct admin_env *env, const char *q,
    const char *status, int64_t page, struct staff_list *out);
/* One account by id or address, with its key history and sessions. */
struct st_result staff_get(const struct admin_env *env, const char *id_or_email,
    struct staff_account *out);
/* Blocks (and ends every session) or unblocks. */
struct st_result staff_block(
    const struct admin_env *env, const char *id_or_email, int blocked);
struct st_result staff_end_sessions(
    const struct admin_env *env, const char *id_or_email);
/* Gives (admin 1) or takes the administrator role. */
struct st_result staff_set_admin(
    const struct admin_env *env, const char *id_or_email, int admin);
/* Mails a new verification link to an unverified account. */
struct st_result staff_resend(
    const struct admin_env *env, const char *id_or_email);

/* Department mailboxes with their members (for Postbussen). */
struct staff_member {
	char *email, *name, *role;
	int has_key;
};
struct staff_mailbox {
	char id[RAND_ID_LEN + 1];
	char *email, *name;
	int has_key;
	int64_t created_at;
	struct staff_member *members;
	size_t nmembers;
};
struct staff_mailboxes {
	struct staff_mailbox *m;
	size_t n;
};
struct st_result staff_mailboxes(
    const struct admin_env *env, struct staff_mailboxes *out);
void staff_mailboxes_release(struct staff_mailboxes *l);
/* Makes a mailbox with its owner (mailboxes_create); out_id its id. */
struct st_result staff_mailbox_create(const struct admin_env *env,
    const char *email, const char *name, const char *owner,
    char out_id[RAND_ID_LEN + 1]);

#endif
