/* Delivery policies of the link secret; see delivery.h. */
#include "util/common.h"

#include <ctype.h>

#include "db/db.h"
#include "db/delivery_db.h"
#include "db/auditlog_db.h"
#include "domain/delivery.h"
#include "domain/orgs.h"

static const char *const names[] = {
	[DELIVERY_STANDARD] = "standard",
	[DELIVERY_STRICT] = "strict",
	[DELIVERY_SENDER_CHOICE] = "sender-choice",
};

int
delivery_policy_parse(const char *s, enum delivery_policy *out)
{
	size_t i;

	for (i = 0; s != NULL && i < ST_ARRAY_LEN(names); i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (enum delivery_policy)i;
			return 0;
		}
	return -1;
}

const char *
delivery_policy_name(enum delivery_policy p)
{
	return (size_t)p < ST_ARRAY_LEN(names) ? names[p] : "standard";
}

int
delivery_policy_of_domain(
    struct db_conn *c, const char *domain, enum delivery_policy *out)
{
	char dom[ORGS_DOMAIN_MAX + 1], got[32];
	size_t i;
	int found;

	*out = DELIVERY_STANDARD;
	for (i = 0; domain[i] != '\0' && i < ORGS_DOMAIN_MAX; i++)
		dom[i] = (char)tolower((unsigned char)domain[i]);
	dom[i] = '\0';
	if (dom[0] == '\0')
		return 0;
	if ((found = delivery_db_org_get(c, dom, got, sizeof(got))) == -1)
		return -1;
	/* A value this build does not know is read as the strictest. */
	if (found == 1 && delivery_policy_parse(got, out) == -1)
		*out = DELIVERY_STRICT;
	return 0;
}

int
delivery_policy_of(
    struct db_conn *c, const char *email, enum delivery_policy *out)
{
	const char *at = strrchr(email, '@');

	*out = DELIVERY_STANDARD;
	return at == NULL ? 0 : delivery_policy_of_domain(c, at + 1, out);
}

int
delivery_policy_of_sender(
    struct db *db, const char *email, enum delivery_policy *out)
{
	struct db_conn *c = db_get(db);
	int r = delivery_policy_of(c, email, out);

	db_put(c);
	return r;
}

int
delivery_policy_set(struct db_conn *c, const char *domain,
    enum delivery_policy p, const char *actor, const char *ip)
{
	char detail[64];
	int changed;

	snprintf(detail, sizeof(detail), "{\"delivery\":\"%s\"}",
	    delivery_policy_name(p));
	if (db_begin(c) != DB_OK)
		return -1;
	if ((changed = delivery_db_org_set(
	         c, domain, delivery_policy_name(p))) != 1 ||
	    audit_add(c, actor, ip, "org.policy_changed", domain, detail) !=
	        DB_OK ||
	    db_commit(c) != DB_OK) {
		db_rollback(c);
		return changed == 0 ? 1 : -1;
	}
	return 0;
}

struct st_result
delivery_decide(enum delivery_policy p, const char *asked, int *strict)
{
	int want;

	if (asked == NULL)
		want = p == DELIVERY_STRICT;
	else if (strcmp(asked, "strict") == 0)
		want = 1;
	else if (strcmp(asked, "standard") == 0)
		want = 0;
	else
		return st_res(
		    ST_INVALID, "bad_delivery", "delivery: standard or strict");
	if (p == DELIVERY_STRICT && !want)
		return st_res(ST_FORBIDDEN, "strict_required",
		    "your organisation delivers links only in strict mode: "
		    "the server may not see the link secret");
	if (p == DELIVERY_STANDARD && want)
		return st_res(ST_FORBIDDEN, "strict_not_allowed",
		    "your organisation's policy is standard delivery: the "
		    "server mails the link");
	*strict = want;
	return st_res(ST_OK, NULL, NULL);
}
