/* Organisations and their policies; see orgpolicy.h. */
#include "util/common.h"

#include <ctype.h>
#include <jansson.h>

#include "db/db.h"
#include "db/orgs_db.h"
#include "db/auditlog_db.h"
#include "domain/delivery.h"
#include "domain/orgpolicy.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/log.h"

#define DAY 86400

static void
from_row(struct org_policy *p, const struct orgs_db_row *r)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->domain, sizeof(p->domain), "%s", r->domain);
	p->added_at = r->added_at;
	p->updated_at = r->updated_at;
	p->retention = r->retention;
	snprintf(p->extensions, sizeof(p->extensions), "%s",
	    r->extensions != NULL ? r->extensions : "");
	p->max_message_bytes = r->max_message_bytes;
	p->outsiders = r->outsiders;
	snprintf(p->sms_prefixes, sizeof(p->sms_prefixes), "%s",
	    r->sms_prefixes != NULL ? r->sms_prefixes : "");
	p->accounts = r->accounts;
}

static void
add_org(const struct orgs_db_row *r, void *arg)
{
	struct org_list *l = arg;

	l->o = xreallocarray(l->o, l->n + 1, sizeof(*l->o));
	from_row(&l->o[l->n++], r);
}

void
org_list_release(struct org_list *l)
{
	free(l->o);
	l->o = NULL;
	l->n = 0;
}

/* The delivery policy of p's domain, as delivery.h reads it. */
static int
with_delivery(struct db_conn *c, struct org_policy *p)
{
	enum delivery_policy d;

	if (delivery_policy_of_domain(c, p->domain, &d) == -1)
		return -1;
	snprintf(
	    p->delivery, sizeof(p->delivery), "%s", delivery_policy_name(d));
	return 0;
}

struct st_result
orgpolicy_list(const struct admin_env *env, struct org_list *out)
{
	struct db_conn *c = db_get(env->db);
	int rc = orgs_db_list(c, add_org, out);
	size_t i;

	for (i = 0; rc == 0 && i < out->n; i++)
		rc = with_delivery(c, &out->o[i]);
	db_put(c);
	if (rc == -1) {
		org_list_release(out);
		return ST_DB_ERROR;
	}
	return ST_RESULT_OK;
}

static void
one_org(const struct orgs_db_row *r, void *arg)
{
	from_row(arg, r);
}

struct st_result
orgpolicy_get(
    const struct admin_env *env, const char *domain, struct org_policy *out)
{
	char dom[ORGS_DOMAIN_MAX + 1];
	const char *why;
	struct db_conn *c;
	int found;

	/* domain may point into out. */
	if (orgs_normalise(domain, dom, sizeof(dom), &why) == -1)
		return st_res(ST_NOT_FOUND, "not_found", "Not connected");
	memset(out, 0, sizeof(*out));
	c = db_get(env->db);
	found = orgs_db_get(c, dom, one_org, out);
	if (found == 1 && with_delivery(c, out) == -1)
		found = -1;
	db_put(c);
	return found == 1 ?
	    ST_RESULT_OK :
	    found == 0 ?
	    st_res(ST_NOT_FOUND, "not_found", "This domain is not connected") :
	    ST_DB_ERROR;
}

/*
 * A list of items each matching ok(), written normalised ("a, b") into
 * out; "" stays "". -1 on a bad item, a duplicate or too many.
 */
static int
norm_list(const char *in, char *out, size_t outlen, int (*ok)(const char *))
{
	char item[32];
	size_t o = 0, n, count = 0;

	out[0] = '\0';
	while (*in != '\0') {
		while (*in == ' ' || *in == ',')
			in++;
		if (*in == '\0')
			break;
		n = strcspn(in, ", ");
		if (n >= sizeof(item) || ++count > 64)
			return -1;
		for (size_t i = 0; i < n; i++)
			item[i] = (char)tolower((unsigned char)in[i]);
		item[n] = '\0';
		in += n;
		if (!ok(item))
			return -1;
		/* The same item twice is a typing error, not a policy. */
		for (const char *p = out; *p != '\0';) {
			size_t m = strcspn(p, ",");

			if (m == n && strncmp(p, item, n) == 0)
				return -1;
			p += m;
			while (*p == ',' || *p == ' ')
				p++;
		}
		if (o + n + 3 >= outlen)
			return -1;
		o += (size_t)snprintf(
		    out + o, outlen - o, "%s%s", o ? ", " : "", item);
	}
	return 0;
}

static int
ext_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 1 || n > 10)
		return 0;
	for (i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int
prefix_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 2 || n > 4 || s[0] != '+' || s[1] == '0')
		return 0;
	for (i = 1; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static struct st_result
check(const struct admin_env *env, const struct org_policy *in,
    struct orgs_db_row *r, char *ext, char *pfx, enum delivery_policy *dp)
{
	if (in->retention != 0 &&
	    (in->retention % DAY != 0 ||
	        in->retention < ORG_RETENTION_MIN_DAYS * DAY ||
	        in->retention > ORG_RETENTION_MAX_DAYS * DAY))
		return st_res(
		    ST_INVALID, "bad_retention", "retention: 1 to 90 days");
	if (delivery_policy_parse(in->delivery, dp) == -1)
		return st_res(ST_INVALID, "bad_delivery",
		    "delivery: standard, strict or sender-choice");
	if (norm_list(in->extensions, ext, ORG_LIST_MAX, ext_ok) == -1)
		return st_res(ST_INVALID, "bad_extensions",
		    "extensions: letters and digits, up to 10 each, no "
		    "repeats");
	if (norm_list(in->sms_prefixes, pfx, ORG_LIST_MAX, prefix_ok) == -1)
		return st_res(ST_INVALID, "bad_prefixes",
		    "SMS prefixes: country codes like +31, no repeats");
	if (in->max_message_bytes != 0 &&
	    (in->max_message_bytes < ORG_MAX_BYTES_MIN ||
	        in->max_message_bytes > env->cfg->send_max_message_bytes))
		return st_res(ST_INVALID, "bad_size",
		    "max_message_bytes: 1 MiB up to the server's limit");
	memset(r, 0, sizeof(*r));
	r->domain = in->domain;
	r->retention = in->retention;
	r->extensions = ext[0] ? ext : NULL;
	r->max_message_bytes = in->max_message_bytes;
	r->outsiders = in->outsiders != 0;
	r->sms_prefixes = pfx[0] ? pfx : NULL;
	return ST_RESULT_OK;
}

/* 1 when the rules of r differ from those stored in cur. */
static int
rules_differ(const struct orgs_db_row *r, const struct org_policy *cur)
{
	return r->retention != cur->retention ||
	    strcmp(r->extensions ? r->extensions : "", cur->extensions) != 0 ||
	    r->max_message_bytes != cur->max_message_bytes ||
	    r->outsiders != cur->outsiders ||
	    strcmp(r->sms_prefixes ? r->sms_prefixes : "", cur->sms_prefixes) !=
	    0;
}

static struct st_result
put_rules(
    struct db_conn *c, const struct admin_env *env, const struct orgs_db_row *r)
{
	struct st_result res = ST_RESULT_OK;
	char *detail;
	json_t *d;
	int changed = -1;

	/* The audit row says what the rules became. */
	d = json_pack("{s:I,s:s?,s:I,s:b,s:s?}", "retention",
	    (json_int_t)r->retention, "extensions", r->extensions,
	    "max_message_bytes", (json_int_t)r->max_message_bytes, "outsiders",
	    r->outsiders, "sms_prefixes", r->sms_prefixes);
	detail = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(d);
	if (detail == NULL || db_begin(c) != DB_OK)
		res = ST_DB_ERROR;
	else if ((changed = orgs_db_put(c, r, clock_now())) != 1 ||
	    audit_add(c, env->actor, env->ip, "org.policy_changed", r->domain,
	        detail) != DB_OK ||
	    db_commit(c) != DB_OK) {
		db_rollback(c);
		res = changed == 0 ? st_res(ST_NOT_FOUND, "not_found",
		                         "This domain is not connected") :
		                     ST_DB_ERROR;
	}
	free(detail);
	return res;
}

struct st_result
orgpolicy_set(const struct admin_env *env, const struct org_policy *in)
{
	char ext[ORG_LIST_MAX], pfx[ORG_LIST_MAX], dom[ORGS_DOMAIN_MAX + 1];
	const char *why;
	struct org_policy *cur;
	struct orgs_db_row r;
	struct st_result res;
	enum delivery_policy dp;
	struct db_conn *c;
	int found, set;

	if (orgs_normalise(in->domain, dom, sizeof(dom), &why) == -1)
		return st_res(
		    ST_NOT_FOUND, "not_found", "This domain is not connected");
	if ((res = check(env, in, &r, ext, pfx, &dp)).st != ST_OK)
		return res;
	r.domain = dom;
	cur = xcalloc(1, sizeof(*cur));
	c = db_get(env->db);
	found = orgs_db_get(c, dom, one_org, cur);
	if (found == 1 && with_delivery(c, cur) == -1)
		found = -1;
	if (found != 1)
		res = found == 0 ? st_res(ST_NOT_FOUND, "not_found",
		                       "This domain is not connected") :
		                   ST_DB_ERROR;
	else if (rules_differ(&r, cur))
		res = put_rules(c, env, &r);
	/* The delivery policy: strict delivery's own setter and audit. */
	if (res.st == ST_OK &&
	    strcmp(delivery_policy_name(dp), cur->delivery) != 0) {
		set = delivery_policy_set(c, dom, dp, env->actor, env->ip);
		if (set != 0)
			res = set == 1 ? st_res(ST_NOT_FOUND, "not_found",
			                     "This domain is not connected") :
			                 ST_DB_ERROR;
	}
	db_put(c);
	free(cur);
	return res;
}

static struct st_result
add_or_remove(const struct admin_env *env, const char *domain, int add)
{
	char dom[ORGS_DOMAIN_MAX + 1];
	const char *why;
	struct db_conn *c;
	int r;

	if (orgs_normalise(domain, dom, sizeof(dom), &why) == -1)
		return st_res(ST_INVALID, "bad_domain", why);
	c = db_get(env->db);
	r = add ? orgs_add(c, dom) : orgs_remove(c, dom);
	if (r == 0)
		(void)audit_add(c, env->actor, env->ip,
		    add ? "domain.added" : "domain.removed", dom, NULL);
	db_put(c);
	if (r == 1)
		return st_res(add ? ST_CONFLICT : ST_NOT_FOUND,
		    add ? "exists" : "not_found",
		    add ? "This domain is connected already" :
		          "This domain is not connected");
	return r == 0 ? ST_RESULT_OK : ST_DB_ERROR;
}

struct st_result
orgpolicy_add(const struct admin_env *env, const char *domain)
{
	return add_or_remove(env, domain, 1);
}

struct st_result
orgpolicy_remove(const struct admin_env *env, const char *domain)
{
	return add_or_remove(env, domain, 0);
}

const char *
orgpolicy_domain_of(const char *email)
{
	const char *at = strrchr(email, '@');

	return at != NULL ? at + 1 : "";
}

int
orgpolicy_effective(struct db_conn *c, const struct config *cfg,
    const char *domain, struct org_effective *out)
{
	char dom[ORGS_DOMAIN_MAX + 1];
	struct org_policy p;
	size_t i;
	int found;

	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	for (i = 0; domain[i] != '\0' && i < ORGS_DOMAIN_MAX; i++)
		dom[i] = (char)tolower((unsigned char)domain[i]);
	dom[i] = '\0';
	found = dom[0] != '\0' ? orgs_db_get(c, dom, one_org, &p) : 0;
	if (found == -1)
		return -1;
	out->retention = p.retention > 0 ? p.retention : cfg->send_retention;
	snprintf(out->extensions, sizeof(out->extensions), "%s",
	    p.extensions[0] ? p.extensions : cfg->send_allowed_extensions);
	out->max_message_bytes = p.max_message_bytes > 0 ?
	    p.max_message_bytes :
	    cfg->send_max_message_bytes;
	out->outsiders = found == 1 ? p.outsiders : 1;
	snprintf(out->sms_prefixes, sizeof(out->sms_prefixes), "%s",
	    p.sms_prefixes[0] ? p.sms_prefixes : cfg->sms_allowed_prefixes);
	return 0;
}

int
orgpolicy_of_sender(const struct config *cfg, struct db *db, const char *email,
    struct org_effective *out)
{
	struct db_conn *c = db_get(db);
	int rc = orgpolicy_effective(c, cfg, orgpolicy_domain_of(email), out);

	db_put(c);
	return rc;
}
