/*
 * securetransferd admin: connected organisations and their policies (O1),
 * accounts and the administrator role, department mailboxes, the audit
 * log and the overview. The same domain functions as the Beheer pages
 * (domain/admin.h), so both write the same audit events; here the actor
 * is admin-cli. The audit log and the overview are in admin_log.c.
 */
#include "util/common.h"

#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "db/mailboxes_db.h"
#include "domain/delivery.h"
#include "domain/mailboxes.h"
#include "domain/orgs.h"
#include "domain/orgpolicy.h"
#include "domain/staff.h"
#include "securetransferd/admin_cli.h"
#include "securetransferd/cmd.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/num.h"
#include "util/secrets.h"

static const char usage[] =
    "usage: securetransferd admin [--config FILE] <what> <action> [args]\n"
    "\n"
    "  domain add DOMAIN      connect an organisation's e-mail domain\n"
    "  domain remove DOMAIN   disconnect it: its people can no longer\n"
    "                         register; existing accounts stay and can log\n"
    "                         in; its policy is forgotten; its addresses\n"
    "                         become outside recipients (SMS code)\n"
    "  domain list            list the connected domains\n"
    "  domain show DOMAIN     its policy\n"
    "  domain policy DOMAIN [standard|strict|sender-choice]\n"
    "                         show or set how a link reaches a recipient\n"
    "                         without an account: standard (the server\n"
    "                         mails it), strict (the sender delivers it;\n"
    "                         the server never sees its secret) or\n"
    "                         sender-choice (the sender picks per message)\n"
    "  domain set DOMAIN [--retention-days N] [--delivery standard|strict|\n"
    "                    sender-choice] [--extensions LIST]\n"
    "                    [--max-bytes N] [--outsiders yes|no]\n"
    "                    [--sms-prefixes LIST]\n"
    "                         change its policy; 'default' for a value\n"
    "                         follows the server-wide setting\n"
    "  user list [--q TEXT] [--status unverified|active|blocked|admin]\n"
    "  user show EMAIL        status, last login, key fingerprint, history\n"
    "  user promote EMAIL     make an account an administrator\n"
    "  user demote EMAIL      take that role away (never the last one)\n"
    "  user block EMAIL       no login, every session ended\n"
    "  user unblock EMAIL\n"
    "  user end-sessions EMAIL\n"
    "  user resend EMAIL      mail a new verification link\n"
    "  mailbox create ADDRESS --owner EMAIL [--name NAME]\n"
    "                         make a department mailbox (A7); its owner's\n"
    "                         browser makes its keys at the next login\n"
    "  mailbox list           list the mailboxes and their members\n"
    "  audit [--actor EMAIL] [--kind KIND] [--domain DOMAIN]\n"
    "        [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--csv]\n"
    "                         the audit log, newest first (CSV: for Excel)\n"
    "  overview [--domain DOMAIN] [--period day|week] [--count N]\n"
    "                         messages, SMS, codes, storage, the outbox\n"
    "\n"
    "There is no password or key reset by an administrator: it would hand\n"
    "the administrator the account's keys. Every change is written to the\n"
    "audit log with actor admin-cli.\n";

int
admin_fail(struct st_result r)
{
	fprintf(stderr, "securetransferd: %s: %s\n", r.code ? r.code : "error",
	    r.why ? r.why : "failed");
	return 1;
}

const char *
admin_opt(int argc, char **argv, const char *name, int *bad)
{
	const char *v = NULL;
	int i;

	for (i = 0; i < argc; i++)
		if (strcmp(argv[i], name) == 0) {
			if (i + 1 >= argc || v != NULL)
				*bad = 1;
			else
				v = argv[i + 1];
		}
	return v;
}

/* Options come in pairs: every odd word is a known --name. */
int
admin_opts_ok(int argc, char **argv, const char *const *known)
{
	int i;

	if (argc % 2 != 0)
		return 0;
	for (i = 0; i < argc; i += 2) {
		const char *const *k;
		int ok = 0;

		for (k = known; *k != NULL; k++)
			ok |= strcmp(argv[i], *k) == 0;
		if (!ok)
			return 0;
	}
	return 1;
}

static void
print_policy(const struct org_policy *o)
{
	printf("domain\t%s\n", o->domain);
	printf("accounts\t%" PRId64 "\n", o->accounts);
	if (o->retention > 0)
		printf("retention_days\t%" PRId64 "\n", o->retention / 86400);
	else
		printf("retention_days\tdefault\n");
	printf("delivery\t%s\n", o->delivery);
	printf(
	    "extensions\t%s\n", o->extensions[0] ? o->extensions : "default");
	if (o->max_message_bytes > 0)
		printf("max_bytes\t%" PRId64 "\n", o->max_message_bytes);
	else
		printf("max_bytes\tdefault\n");
	printf("outsiders\t%s\n", o->outsiders ? "yes" : "no");
	printf("sms_prefixes\t%s\n",
	    o->sms_prefixes[0] ? o->sms_prefixes : "default");
}

/* A number of option opt, "default" (0) or absent (keep). */
static int
number_opt(const char *v, int64_t scale, int64_t *out)
{
	uint64_t n;

	if (v == NULL)
		return 0;
	if (strcmp(v, "default") == 0) {
		*out = 0;
		return 0;
	}
	if (num_parse_u64(v, 1, (uint64_t)INT64_MAX / (uint64_t)scale, &n) ==
	    -1)
		return -1;
	*out = (int64_t)n * scale;
	return 0;
}

/* domain policy DOMAIN [VALUE]: shows, or sets and audits. */
static int
domain_policy(struct db_conn *c, const char *dom, const char *value)
{
	enum delivery_policy p;
	int r;

	if (value == NULL) {
		r = orgs_is_connected(c, dom);
		if (r == 1 && delivery_policy_of_domain(c, dom, &p) == 0) {
			printf("%s\t%s\n", dom, delivery_policy_name(p));
			return 0;
		}
		if (r == 0)
			fprintf(stderr,
			    "securetransferd: %s is not connected\n", dom);
		return 1;
	}
	if (delivery_policy_parse(value, &p) == -1) {
		fprintf(stderr,
		    "securetransferd: '%s' is not a policy: expected standard, "
		    "strict or sender-choice\n",
		    value);
		return 2;
	}
	r = delivery_policy_set(c, dom, p, "admin-cli", NULL);
	if (r == 1)
		fprintf(stderr, "securetransferd: %s is not connected\n", dom);
	else if (r == 0)
		printf("%s\t%s\n", dom, delivery_policy_name(p));
	return r == 0 ? 0 : 1;
}

static int
domain_set(const struct admin_env *env, int argc, char **argv)
{
	static const char *const known[] = { "--retention-days", "--delivery",
		"--extensions", "--max-bytes", "--outsiders", "--sms-prefixes",
		NULL };
	struct org_policy *o = xcalloc(1, sizeof(*o));
	struct st_result r;
	const char *v;
	int bad = 0, rc = 1;

	if (!admin_opts_ok(argc - 1, argv + 1, known)) {
		fputs(usage, stderr);
		free(o);
		return 2;
	}
	if ((r = orgpolicy_get(env, argv[0], o)).st != ST_OK) {
		rc = admin_fail(r);
		goto out;
	}
	if (number_opt(admin_opt(argc, argv, "--retention-days", &bad), 86400,
	        &o->retention) == -1 ||
	    number_opt(admin_opt(argc, argv, "--max-bytes", &bad), 1,
	        &o->max_message_bytes) == -1) {
		fprintf(stderr, "securetransferd: a number or 'default'\n");
		goto out;
	}
	if ((v = admin_opt(argc, argv, "--delivery", &bad)) != NULL)
		snprintf(o->delivery, sizeof(o->delivery), "%.15s", v);
	if ((v = admin_opt(argc, argv, "--extensions", &bad)) != NULL)
		snprintf(o->extensions, sizeof(o->extensions), "%s",
		    strcmp(v, "default") == 0 ? "" : v);
	if ((v = admin_opt(argc, argv, "--sms-prefixes", &bad)) != NULL)
		snprintf(o->sms_prefixes, sizeof(o->sms_prefixes), "%s",
		    strcmp(v, "default") == 0 ? "" : v);
	if ((v = admin_opt(argc, argv, "--outsiders", &bad)) != NULL) {
		if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0)
			bad = 1;
		o->outsiders = strcmp(v, "yes") == 0;
	}
	if (bad) {
		fputs(usage, stderr);
		rc = 2;
		goto out;
	}
	if ((r = orgpolicy_set(env, o)).st != ST_OK) {
		rc = admin_fail(r);
		goto out;
	}
	if (orgpolicy_get(env, o->domain, o).st == ST_OK)
		print_policy(o);
	rc = 0;
out:
	free(o);
	return rc;
}

static int
domain_policy_cmd(const struct admin_env *env, int argc, char **argv)
{
	char dom[ORGS_DOMAIN_MAX + 1];
	const char *why;
	struct db_conn *c;
	int rc;

	if (orgs_normalise(argv[1], dom, sizeof(dom), &why) == -1) {
		fprintf(stderr, "securetransferd: '%s' is not a domain: %s\n",
		    argv[1], why);
		return 1;
	}
	c = db_get(env->db);
	rc = domain_policy(c, dom, argc == 3 ? argv[2] : NULL);
	db_put(c);
	return rc;
}

static int
domain_cmd(const struct admin_env *env, int argc, char **argv)
{
	struct org_policy *o;
	struct org_list l = { 0 };
	struct st_result r;
	size_t i;

	if (argc == 1 && strcmp(argv[0], "list") == 0) {
		if ((r = orgpolicy_list(env, &l)).st != ST_OK)
			return admin_fail(r);
		for (i = 0; i < l.n; i++)
			printf("%s\n", l.o[i].domain);
		org_list_release(&l);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[0], "set") == 0)
		return domain_set(env, argc - 1, argv + 1);
	if ((argc == 2 || argc == 3) && strcmp(argv[0], "policy") == 0)
		return domain_policy_cmd(env, argc, argv);
	if (argc != 2) {
		fputs(usage, stderr);
		return 2;
	}
	if (strcmp(argv[0], "show") == 0) {
		o = xcalloc(1, sizeof(*o));
		if ((r = orgpolicy_get(env, argv[1], o)).st == ST_OK)
			print_policy(o);
		free(o);
		return r.st == ST_OK ? 0 : admin_fail(r);
	}
	if (strcmp(argv[0], "add") != 0 && strcmp(argv[0], "remove") != 0) {
		fputs(usage, stderr);
		return 2;
	}
	r = strcmp(argv[0], "add") == 0 ? orgpolicy_add(env, argv[1]) :
	                                  orgpolicy_remove(env, argv[1]);
	if (r.st == ST_INVALID) {
		fprintf(stderr, "securetransferd: '%s' is not a domain: %s\n",
		    argv[1], r.why);
		return 1;
	}
	if (r.st == ST_CONFLICT || r.st == ST_NOT_FOUND) {
		printf("%s was %s\n", argv[1],
		    r.st == ST_CONFLICT ? "already connected" :
		                          "not connected");
		return 0;
	}
	if (r.st != ST_OK)
		return admin_fail(r);
	printf("%s %s\n",
	    strcmp(argv[0], "add") == 0 ? "connected" : "disconnected",
	    argv[1]);
	return 0;
}

static int
user_list(const struct admin_env *env, int argc, char **argv)
{
	static const char *const known[] = { "--q", "--status", NULL };
	struct staff_list l;
	struct st_result r;
	const char *q, *status;
	int64_t page = 0;
	size_t i;
	int bad = 0;

	if (!admin_opts_ok(argc, argv, known)) {
		fputs(usage, stderr);
		return 2;
	}
	q = admin_opt(argc, argv, "--q", &bad);
	status = admin_opt(argc, argv, "--status", &bad);
	do {
		r = staff_search(
		    env, q ? q : "", status ? status : "", page, &l);
		if (r.st != ST_OK)
			return admin_fail(r);
		for (i = 0; i < l.n; i++)
			printf("%s\t%s\t%s%s%s\n", l.a[i].email, l.a[i].name,
			    l.a[i].is_admin ? "admin" : "user",
			    l.a[i].verified ? "" : " (unverified)",
			    l.a[i].blocked ? " (blocked)" : "");
		page++;
		i = l.n;
		staff_list_release(&l);
	} while (i == STAFF_PAGE);
	return 0;
}

static void
print_time(const char *label, int64_t t)
{
	char when[32] = "never";
	struct tm tm;
	time_t tt = (time_t)t;

	if (t > 0 && gmtime_r(&tt, &tm) != NULL)
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	printf("%s\t%s\n", label, when);
}

static int
user_show(const struct admin_env *env, const char *who)
{
	struct staff_account a;
	struct st_result r = staff_get(env, who, &a);
	size_t i;

	if (r.st != ST_OK)
		return admin_fail(r);
	printf("email\t%s\nname\t%s\n", a.email, a.name);
	printf("status\t%s\n",
	    a.blocked      ? "blocked" :
	        a.verified ? "active" :
	                     "unverified");
	printf("role\t%s\n", a.is_admin ? "admin" : "user");
	printf("second_factor\t%s\n", a.factor ? "yes" : "no");
	print_time("created", a.created_at);
	print_time("last_login", a.last_login_at);
	printf("sessions\t%" PRId64 "\n", a.sessions);
	printf("fingerprint\t%s\n", a.fingerprint[0] ? a.fingerprint : "-");
	for (i = 0; i < a.nhistory; i++) {
		char label[48];

		snprintf(label, sizeof(label), "key_%s", a.history[i].kind);
		print_time(label, a.history[i].at);
	}
	staff_account_release(&a);
	return 0;
}

/* user resend mails a link: the server's secrets, which serve made. */
static int
load_secrets(const struct config *cfg, struct secrets *sec)
{
	char path[4096];

	if ((size_t)snprintf(path, sizeof(path), "%s/server.key",
	        cfg->server_secrets_dir) >= sizeof(path) ||
	    access(path, R_OK) != 0) {
		fprintf(stderr,
		    "securetransferd: cannot read %s: run this as the "
		    "service's user after serve has started once\n",
		    path);
		return -1;
	}
	return secrets_load(sec, cfg->server_secrets_dir);
}

static int
user_cmd(struct admin_env *env, int argc, char **argv)
{
	struct secrets sec;
	struct st_result r;
	const char *a;
	int rc;

	if (argc >= 1 && strcmp(argv[0], "list") == 0)
		return user_list(env, argc - 1, argv + 1);
	if (argc != 2) {
		fputs(usage, stderr);
		return 2;
	}
	a = argv[0];
	if (strcmp(a, "show") == 0)
		return user_show(env, argv[1]);
	if (strcmp(a, "resend") == 0) {
		if (load_secrets(env->cfg, &sec) == -1)
			return 1;
		env->sec = &sec;
		r = staff_resend(env, argv[1]);
		secrets_wipe(&sec);
		env->sec = NULL;
	} else if (strcmp(a, "promote") == 0 || strcmp(a, "demote") == 0)
		r = staff_set_admin(env, argv[1], strcmp(a, "promote") == 0);
	else if (strcmp(a, "block") == 0 || strcmp(a, "unblock") == 0)
		r = staff_block(env, argv[1], strcmp(a, "block") == 0);
	else if (strcmp(a, "end-sessions") == 0)
		r = staff_end_sessions(env, argv[1]);
	else {
		fputs(usage, stderr);
		return 2;
	}
	if (r.st == ST_NOT_FOUND) {
		fprintf(stderr, "securetransferd: no account %s\n", argv[1]);
		return 1;
	}
	if (r.st != ST_OK)
		return admin_fail(r);
	rc = 0;
	if (strcmp(a, "promote") == 0 || strcmp(a, "demote") == 0)
		printf("%s is %s an administrator\n", argv[1],
		    strcmp(a, "promote") == 0 ? "now" : "no longer");
	else
		printf("%s: done\n", a);
	return rc;
}

int
cmd_admin(int argc, char **argv)
{
	struct config cfg;
	struct admin_env env = { 0 };
	struct db *db;
	int argi, rc;

	if ((rc = cmd_setup(&argc, argv, usage, &cfg, &argi)) != 0)
		return rc == 3 ? 0 : rc;
	argc -= argi;
	argv += argi;
	if (argc < 1 ||
	    (argc < 2 && strcmp(argv[0], "audit") != 0 &&
	        strcmp(argv[0], "overview") != 0)) {
		fputs(usage, stderr);
		config_release(&cfg);
		return 2;
	}
	/* The tests' clock, as serve and purge use it. */
	if (cfg.testing_clock_file[0] != '\0')
		clock_set_offset_file(cfg.testing_clock_file);
	if ((db = cmd_open_db(&cfg, 0)) == NULL) {
		config_release(&cfg);
		return 1;
	}
	env.cfg = &cfg;
	env.db = db;
	env.actor = ADMIN_CLI;
	if (strcmp(argv[0], "domain") == 0)
		rc = domain_cmd(&env, argc - 1, argv + 1);
	else if (strcmp(argv[0], "user") == 0)
		rc = user_cmd(&env, argc - 1, argv + 1);
	else if (strcmp(argv[0], "mailbox") == 0)
		rc = admin_mailbox_cmd(&env, argc - 1, argv + 1, usage);
	else if (strcmp(argv[0], "audit") == 0)
		rc = admin_audit_cmd(&env, argc - 1, argv + 1, usage);
	else if (strcmp(argv[0], "overview") == 0)
		rc = admin_overview_cmd(&env, argc - 1, argv + 1, usage);
	else {
		fputs(usage, stderr);
		rc = 2;
	}
	db_close(db);
	config_release(&cfg);
	return rc;
}
