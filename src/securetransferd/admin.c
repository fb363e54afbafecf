/* securetransferd admin: connected domains (O1) and users. */
#include "util/common.h"

#include "db/db.h"
#include "db/users.h"
#include "domain/orgs.h"
#include "securetransferd/cmd.h"
#include "util/config.h"

static const char usage[] =
    "usage: securetransferd admin [--config FILE] <what> <action> [args]\n"
    "\n"
    "  domain add DOMAIN      connect an organisation's e-mail domain\n"
    "  domain remove DOMAIN   disconnect it (existing accounts stay)\n"
    "  domain list            list the connected domains\n"
    "  user list              list the accounts\n"
    "  user promote EMAIL     make an account an administrator\n"
    "  user demote EMAIL      take that role away\n"
    "\n"
    "Every change is written to the audit log with actor admin-cli.\n";

static void
print_line(const char *s, void *arg)
{
	ST_UNUSED(arg);
	printf("%s\n", s);
}

static int
domain_cmd(struct db_conn *c, int argc, char **argv)
{
	char dom[ORGS_DOMAIN_MAX + 1];
	const char *why;
	int r;

	if (argc == 1 && strcmp(argv[0], "list") == 0)
		return orgs_list(c, print_line, NULL) == 0 ? 0 : 1;
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

int
cmd_admin(int argc, char **argv)
{
	struct config cfg;
	struct db *db;
	struct db_conn *c;
	int argi, rc;

	if ((rc = cmd_setup(argc, argv, usage, &cfg, &argi)) != 0)
		return rc == 3 ? 0 : rc;
	argc -= argi;
	argv += argi;
	if (argc < 2) {
		fputs(usage, stderr);
		config_release(&cfg);
		return 2;
	}
	if ((db = cmd_open_db(&cfg)) == NULL) {
		config_release(&cfg);
		return 1;
	}
	c = db_get(db);
	if (strcmp(argv[0], "domain") == 0)
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
