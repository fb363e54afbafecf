/*
 * securetransferd admin mailbox, audit and overview: the Postbussen,
 * Audit and Overzicht pages of Beheer on the command line.
 */
#include "util/common.h"

#include "domain/auditlog.h"
#include "domain/staff.h"
#include "domain/usage.h"
#include "securetransferd/admin_cli.h"
#include "util/buf.h"
#include "util/num.h"

int
admin_mailbox_cmd(
    const struct admin_env *env, int argc, char **argv, const char *usage)
{
	static const char *const known[] = { "--owner", "--name", NULL };
	struct staff_mailboxes l;
	struct st_result r;
	char id[RAND_ID_LEN + 1], dflt[128];
	const char *owner, *name;
	size_t i, j;
	int bad = 0;

	if (argc == 1 && strcmp(argv[0], "list") == 0) {
		if ((r = staff_mailboxes(env, &l)).st != ST_OK)
			return admin_fail(r);
		for (i = 0; i < l.n; i++) {
			printf("%s\t%s%s\n", l.m[i].email, l.m[i].name,
			    l.m[i].has_key ? "" : " (no key yet)");
			for (j = 0; j < l.m[i].nmembers; j++)
				printf("\t%s\t%s\n", l.m[i].members[j].email,
				    l.m[i].members[j].role);
		}
		staff_mailboxes_release(&l);
		return 0;
	}
	if (argc < 2 || strcmp(argv[0], "create") != 0 ||
	    !admin_opts_ok(argc - 2, argv + 2, known)) {
		fputs(usage, stderr);
		return 2;
	}
	owner = admin_opt(argc - 2, argv + 2, "--owner", &bad);
	name = admin_opt(argc - 2, argv + 2, "--name", &bad);
	if (owner == NULL || bad) {
		fputs(usage, stderr);
		return 2;
	}
	/* Without a name, the part before the @ ("vergunningen"). */
	if (name == NULL) {
		snprintf(dflt, sizeof(dflt), "%.*s", (int)strcspn(argv[1], "@"),
		    argv[1]);
		name = dflt;
	}
	r = staff_mailbox_create(env, argv[1], name, owner, id);
	if (r.st != ST_OK)
		return admin_fail(r);
	printf("created mailbox %s (%s) with owner %s\n", argv[1], id, owner);
	return 0;
}

int
admin_audit_cmd(
    const struct admin_env *env, int argc, char **argv, const char *usage)
{
	static const char *const known[] = { "--actor", "--kind", "--domain",
		"--from", "--to", NULL };
	struct auditlog_query q;
	struct st_result r;
	struct buf b;
	int bad = 0, csv = 0;

	if (argc > 0 && strcmp(argv[argc - 1], "--csv") == 0) {
		csv = 1;
		argc--;
	}
	if (!admin_opts_ok(argc, argv, known)) {
		fputs(usage, stderr);
		return 2;
	}
#define OPT(n) \
	(admin_opt(argc, argv, n, &bad) ? admin_opt(argc, argv, n, &bad) : "")
	q.actor = OPT("--actor");
	q.kind = OPT("--kind");
	q.domain = OPT("--domain");
	q.from = OPT("--from");
	q.to = OPT("--to");
#undef OPT
	q.cursor = "";
	if (bad) {
		fputs(usage, stderr);
		return 2;
	}
	buf_init(&b, 64u << 20);
	r = auditlog_csv(env, &q, "nl", &b);
	if (r.st == ST_OK) {
		/* On a terminal: without the byte order mark, tab-free. */
		const char *s = buf_str(&b);

		if (!csv && strncmp(s, "\xef\xbb\xbf", 3) == 0)
			s += 3;
		fwrite(s, 1, strlen(s), stdout);
	}
	buf_release(&b);
	return r.st == ST_OK ? 0 : admin_fail(r);
}

int
admin_overview_cmd(
    const struct admin_env *env, int argc, char **argv, const char *usage)
{
	static const char *const known[] = { "--domain", "--period", "--count",
		NULL };
	struct usage_report rep;
	struct st_result r;
	const char *dom, *period, *count;
	uint64_t n = 30;
	size_t i, m;
	int bad = 0;

	if (!admin_opts_ok(argc, argv, known)) {
		fputs(usage, stderr);
		return 2;
	}
	dom = admin_opt(argc, argv, "--domain", &bad);
	period = admin_opt(argc, argv, "--period", &bad);
	count = admin_opt(argc, argv, "--count", &bad);
	if (bad || (count != NULL && num_parse_u64(count, 1, 1000, &n) == -1)) {
		fputs(usage, stderr);
		return 2;
	}
	r = usage_report(
	    env, dom ? dom : "", period ? period : "day", (int64_t)n, &rep);
	if (r.st != ST_OK)
		return admin_fail(r);
	printf("period");
	for (m = 0; m < USAGE_METRICS; m++)
		printf("\t%s", usage_metric_names[m]);
	printf("\tbytes\n");
	for (i = 0; i < rep.n; i++) {
		printf("%s", rep.b[i].label);
		for (m = 0; m < USAGE_METRICS; m++)
			printf("\t%" PRId64, rep.b[i].n[m]);
		printf("\t%" PRId64 "\n", rep.b[i].bytes);
	}
	printf("storage\t%" PRId64 " bytes in %" PRId64 " messages\n",
	    rep.storage_bytes, rep.storage_messages);
	for (i = 0; i < rep.nq; i++)
		printf("outbox\t%s\t%s\t%" PRId64 "\n", rep.q[i].kind,
		    rep.q[i].state, rep.q[i].count);
	usage_report_release(&rep);
	return 0;
}
