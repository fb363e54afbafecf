/*
 * The policy of each connected organisation (O1, O6; the Organisaties
 * page of Beheer and securetransferd admin domain ...): how long its
 * messages are kept, its delivery policy, the file extensions its senders
 * may send, the size limit per message, whether they may send to people
 * outside the connected organisations, and the countries SMS codes may go
 * to. An unset value follows the server-wide setting. The server enforces
 * each one for senders with an address at the domain (messages.c): the
 * organisation of a message from outside (Q2, Q4) is its recipient's.
 *
 * The delivery policy (standard, strict, sender-choice; SECURITY.md 1.6)
 * is read, checked, written and audited by domain/delivery.h alone; this
 * module passes it through.
 */
#ifndef ST_ORGPOLICY_H
#define ST_ORGPOLICY_H

#include <stdint.h>

#include "domain/admin.h"
#include "domain/orgs.h"

struct db_conn;

#define ORG_RETENTION_MIN_DAYS 1
#define ORG_RETENTION_MAX_DAYS 90
#define ORG_MAX_BYTES_MIN (1 << 20) /* 1 MiB */
#define ORG_LIST_MAX 2048 /* bytes of an extension or prefix list */

struct org_policy {
	char domain[ORGS_DOMAIN_MAX + 1];
	int64_t added_at, updated_at;
	int64_t retention; /* seconds; 0: server-wide */
	char delivery[16]; /* delivery_policy_name() */
	char extensions[ORG_LIST_MAX]; /* "": server-wide */
	int64_t max_message_bytes; /* 0: server-wide */
	int outsiders;
	char sms_prefixes[ORG_LIST_MAX]; /* "": server-wide */
	int64_t accounts;
};

/* What applies to a sender: the policy with the server-wide values in. */
struct org_effective {
	int64_t retention;
	char extensions[ORG_LIST_MAX];
	int64_t max_message_bytes;
	int outsiders;
	char sms_prefixes[ORG_LIST_MAX];
};

struct org_list {
	struct org_policy *o;
	size_t n;
};

struct st_result orgpolicy_list(
    const struct admin_env *env, struct org_list *out);
void org_list_release(struct org_list *l);
struct st_result orgpolicy_get(
    const struct admin_env *env, const char *domain, struct org_policy *out);
/*
 * Sets the policy of a connected domain (in->domain). Checks everything
 * before writing anything: retention 0 or ORG_RETENTION_MIN_DAYS..MAX
 * days; delivery by delivery_policy_parse(); extensions and prefixes ""
 * or lists of [a-z0-9]{1,10} and +[1-9][0-9]{0,2}; the size 0 or
 * ORG_MAX_BYTES_MIN..send.max_message_bytes. Only what changed is
 * written: the rules with the audit row org.policy_changed (their new
 * values) in one transaction, then a changed delivery policy by
 * delivery_policy_set() (its own transaction and audit row
 * org.policy_changed {"delivery":...}). Nothing changed: nothing written.
 */
struct st_result orgpolicy_set(
    const struct admin_env *env, const struct org_policy *in);
/* Connects (domain.added) or disconnects (domain.removed) a domain. */
struct st_result orgpolicy_add(const struct admin_env *env, const char *domain);
struct st_result orgpolicy_remove(
    const struct admin_env *env, const char *domain);

/*
 * The policy for senders at domain (any domain: not connected gives the
 * server-wide values), read on c. 0, or -1 on a database error.
 */
int orgpolicy_effective(struct db_conn *c, const struct config *cfg,
    const char *domain, struct org_effective *out);
/* The same for the sender email, on a connection of its own. */
int orgpolicy_of_sender(const struct config *cfg, struct db *db,
    const char *email, struct org_effective *out);
/* The domain part of an address ("" when there is none). */
const char *orgpolicy_domain_of(const char *email);

#endif
