/* securetransferd admin: connected domains (O1) and users. */
#include "util/common.h"

#include "db/db.h"
#include "db/users.h"
#include "db/mailboxes_db.h"
#include "domain/delivery.h"
#include "domain/mailboxes.h"
#include "domain/orgs.h"
#include "securetransferd/cmd.h"
#include "util/config.h"

static const char usage[] =
    "usage: securetransferd admin [--config FILE] <what> <action> [args]\n"
    "\n"
    "  domain add DOMAIN      connect an organisation's e-mail domain\n"
    "  domain remove DOMAIN   disconnect it (existing accounts stay)\n"
    "  domain list            list the connected domains\n"
    "  domain policy DOMAIN [standard|strict|sender-choice]\n"
    "                         show or set how a link reaches a recipient\n"
    "                         without an account: standard (the server\n"
    "                         mails it), strict (the sender delivers it;\n"
    "                         the server never sees its secret) or\n"
    "                         sender-choice (the sender picks per message)\n"
    "  user list              list the accounts\n"
    "  user promote EMAIL     make an account an administrator\n"
    "  user demote EMAIL      take that role away\n"
    "  mailbox create ADDRESS --owner EMAIL [--name NAME]\n"
    "                         make a department mailbox (A7); its owner's\n"
    "                         browser makes its keys at the next login\n"
    "  mailbox list           list the mailboxes and their members\n"
    "\n"
    "Every change is written to the audit log with actor admin-cli.\n";

static void
print_line(const char *s, void *arg)
{
	ST_UNUSED(arg);
	printf("%s\n", s);
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
domain_cmd(struct db_conn *c, int argc, char **argv)
{
	char dom[ORGS_DOMAIN_MAX + 1];
	const char *why;
	int r;

	if (argc == 1 && strcmp(argv[0], "list") == 0)
		return orgs_list(c, print_line, NULL) == 0 ? 0 : 1;
	if ((argc == 2 || argc == 3) && strcmp(argv[0], "policy") == 0) {
		if (orgs_normalise(argv[1], dom, sizeof(dom), &why) == -1) {
			fprintf(stderr,
			    "securetransferd: '%s' is not a domain: %s\n",
			    argv[1], why);
			return 1;
		}
		return domain_policy(c, dom, argc == 3 ? argv[2] : NULL);
	}
	if (argc != 2 ||
	    (strcmp(argv[0], "add") != 0 && strcmp(argv[0], "remove") != 0)) {
		fputs(usage, stderr);
		return 2;
	}
	if (orgs_normalise(argv[1], dom, sizeof(dom), &why) == -1) {
		fprintf(stderr, "securetransferd: '%s' is not a domain: %s\n",
		    argv[1], why);
		return 1;
	}
	if (strcmp(argv[0], "add") == 0) {
		r = orgs_add(c, dom);
		if (r == 0) {
			printf("connected %s\n", dom);
			audit_add(
			    c, "admin-cli", NULL, "domain.added", dom, NULL);
		} else if (r == 1)
			printf("%s was already connected\n", dom);
	} else {
		r = orgs_remove(c, dom);
		if (r == 0) {
			printf("disconnected %s\n", dom);
			audit_add(
			    c, "admin-cli", NULL, "domain.removed", dom, NULL);
		} else if (r == 1)
			printf("%s was not connected\n", dom);
	}
	return r == -1 ? 1 : 0;
}

static int
user_list(struct db_conn *c)
{
	struct db_stmt *s;
	enum db_status r;

	s = db_query(c,
	    "SELECT email, name, is_admin, verified_at IS NOT NULL "
	    "FROM users WHERE id <> 'external' ORDER BY email",
	    DB_NOPARAMS);
	if (s == NULL)
		return 1;
	while ((r = db_next(s)) == DB_ROW)
		printf("%s\t%s\t%s%s\n", db_text(s, 0), db_text(s, 1),
		    db_int(s, 2) ? "admin" : "user",
		    db_int(s, 3) ? "" : " (unverified)");
	db_done(s);
	return r == DB_DONE ? 0 : 1;
}

static int
user_role(struct db_conn *c, const char *action, const char *email)
{
	int admin = strcmp(action, "promote") == 0;

	if (db_exec(c, "UPDATE users SET is_admin = $2 WHERE email = $1",
	        DB_PARAMS(DB_TEXT(email), DB_INT(admin))) != DB_OK)
		return 1;
	if (db_changes(c) != 1) {
		fprintf(stderr, "securetransferd: no account %s\n", email);
		return 1;
	}
	audit_add(c, "admin-cli", NULL,
	    admin ? "user.promoted" : "user.demoted", email, NULL);
	printf(
	    "%s is %s an administrator\n", email, admin ? "now" : "no longer");
	return 0;
}

static int
mailbox_create(struct db *db, const struct config *cfg, int argc, char **argv)
{
	const char *owner = NULL, *name = NULL;
	char id[RAND_ID_LEN + 1];
	struct msg_env env = { cfg, db, NULL, NULL, NULL };
	struct msg_result r;
	char dflt[128];
	int i;

	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--owner") == 0)
			owner = argv[i + 1];
		else if (strcmp(argv[i], "--name") == 0)
			name = argv[i + 1];
		else
			break;
	}
	if (argc < 1 || i != argc || owner == NULL) {
		fputs(usage, stderr);
		return 2;
	}
	/* Without a name, the part before the @ ("vergunningen"). */
	if (name == NULL) {
		snprintf(dflt, sizeof(dflt), "%.*s", (int)strcspn(argv[0], "@"),
		    argv[0]);
		name = dflt;
	}
	r = mailboxes_create(&env, argv[0], name, owner, id);
	if (r.st != MSG_OK) {
		fprintf(stderr, "securetransferd: %s: %s\n", r.code, r.why);
		return 1;
	}
	printf("created mailbox %s (%s) with owner %s\n", argv[0], id, owner);
	return 0;
}

static void
print_member(const struct mbx_party *p, void *arg)
{
	ST_UNUSED(arg);
	printf("\t%s\t%s\n", p->email, p->role);
}

static int
mailbox_list(struct db_conn *c)
{
	char(*ids)[RAND_ID_LEN + 1] = NULL;
	struct db_stmt *s;
	enum db_status r;
	size_t n = 0, i;
	struct user mb;
	int rc = 0;

	s = db_query(c,
	    "SELECT id FROM users WHERE kind = 'mailbox' ORDER BY email",
	    DB_NOPARAMS);
	if (s == NULL)
		return 1;
	while ((r = db_next(s)) == DB_ROW) {
		ids = xreallocarray(ids, n + 1, sizeof(*ids));
		snprintf(ids[n++], sizeof(ids[0]), "%s", db_text(s, 0));
	}
	db_done(s);
	/* One statement at a time on a connection: members afterwards. */
	for (i = 0; i < n && rc == 0 && r == DB_DONE; i++) {
		if (users_by_id(c, ids[i], &mb) != 1) {
			rc = 1;
			break;
		}
		printf("%s\t%s%s\n", mb.email, mb.name,
		    mb.key_id != NULL ? "" : " (no key yet)");
		user_release(&mb);
		rc = mbx_db_members(c, ids[i], print_member, NULL) == 0 ? 0 : 1;
	}
	free(ids);
	return r == DB_DONE ? rc : 1;
}

int
cmd_admin(int argc, char **argv)
{
	struct config cfg;
	struct db *db;
	struct db_conn *c;
	int argi, rc;

	if ((rc = cmd_setup(&argc, argv, usage, &cfg, &argi)) != 0)
		return rc == 3 ? 0 : rc;
	argc -= argi;
	argv += argi;
	if (argc < 2) {
		fputs(usage, stderr);
		config_release(&cfg);
		return 2;
	}
	if ((db = cmd_open_db(&cfg, 0)) == NULL) {
		config_release(&cfg);
		return 1;
	}
	if (strcmp(argv[0], "mailbox") == 0 && strcmp(argv[1], "create") == 0) {
		rc = mailbox_create(db, &cfg, argc - 2, argv + 2);
		db_close(db);
		config_release(&cfg);
		return rc;
	}
	c = db_get(db);
	if (strcmp(argv[0], "mailbox") == 0 && argc == 2 &&
	    strcmp(argv[1], "list") == 0)
		rc = mailbox_list(c);
	else if (strcmp(argv[0], "domain") == 0)
		rc = domain_cmd(c, argc - 1, argv + 1);
	else if (strcmp(argv[0], "user") == 0 && argc == 2 &&
	    strcmp(argv[1], "list") == 0)
		rc = user_list(c);
	else if (strcmp(argv[0], "user") == 0 && argc == 3 &&
	    (strcmp(argv[1], "promote") == 0 || strcmp(argv[1], "demote") == 0))
		rc = user_role(c, argv[1], argv[2]);
	else {
		fputs(usage, stderr);
		rc = 2;
	}
	db_put(c);
	db_close(db);
	config_release(&cfg);
	return rc;
}
