/*
 * Delivery of the link secret S to a recipient without an account
 * (SECURITY.md 1.6, issue 24). Each connected organisation has a policy:
 *   standard       the server mails the link with S (the default);
 *   strict         the server never sees S: its mail names only /r/<id>
 *                  and the sender's browser or CLI delivers the link;
 *   sender-choice  the sender picks per message ("De beheerder mag dit
 *                  bericht niet kunnen openen").
 * The policy of a message is its sender's organisation's (an address at
 * a domain that is not connected: standard). The server enforces it when a
 * message is made: a client cannot ask for the other mode, and a strict
 * message refuses S at sending (messages.c).
 */
#ifndef ST_DELIVERY_H
#define ST_DELIVERY_H

#include "domain/messages.h"

struct db;
struct db_conn;

enum delivery_policy {
	DELIVERY_STANDARD,
	DELIVERY_STRICT,
	DELIVERY_SENDER_CHOICE
};

/* "standard", "strict", "sender-choice" -> *out: 0, or -1 for anything
 * else. */
int delivery_policy_parse(const char *s, enum delivery_policy *out);
const char *delivery_policy_name(enum delivery_policy p);

/* The policy of domain (any case; not connected: standard): 0, or -1 on
 * a database error. */
int delivery_policy_of_domain(
    struct db_conn *c, const char *domain, enum delivery_policy *out);
/* The same for a sender with address email. */
int delivery_policy_of(
    struct db_conn *c, const char *email, enum delivery_policy *out);
/* delivery_policy_of on a connection of db's own. */
int delivery_policy_of_sender(
    struct db *db, const char *email, enum delivery_policy *out);

/*
 * Sets the policy of a connected domain (normalised) and writes the
 * audit row org.policy_changed ({"delivery":...}) by actor from ip in one
 * transaction: 0 set, 1 the domain is not connected, -1 error.
 */
int delivery_policy_set(struct db_conn *c, const char *domain,
    enum delivery_policy p, const char *actor, const char *ip);

/*
 * The mode of a new message under policy p when the sender asked for
 * asked ("standard", "strict", or NULL for the policy's own default:
 * strict under strict, else standard). *strict is set on ST_OK. A mode
 * the policy does not allow is ST_FORBIDDEN (strict_required under
 * strict, strict_not_allowed under standard); an unknown one ST_INVALID.
 */
struct st_result delivery_decide(
    enum delivery_policy p, const char *asked, int *strict);

#endif
