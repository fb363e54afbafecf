/*
 * The unit-test runner's main: runs registered tests, prints the tally.
 * `unit-tests --torture [substring]` is the allocation-failure mode
 * (STYLE rule 26, curl's `runtests -t`): see torture() below.
 */
#include "unit.h"

#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <sodium.h>
#include <sys/wait.h>
#include <unistd.h>

struct unit_test {
	const char *name;
	unit_fn fn;
};

static struct unit_test tests[1024];
static size_t ntests;
static int current_failed;

void
unit_register(const char *name, unit_fn fn)
{
	if (ntests == ST_ARRAY_LEN(tests)) {
		fprintf(stderr, "unit: too many tests\n");
		abort();
	}
	tests[ntests].name = name;
	tests[ntests].fn = fn;
	ntests++;
}

void
unit_fail(const char *file, int line, const char *expr)
{
	fprintf(stderr, "    %s:%d: CHECK failed: %s\n", file, line, expr);
	current_failed = 1;
}

int
unit_failed_now(void)
{
	return current_failed;
}

/*
 * The harness's ST_* variables (ST_TEST_PG, ST_KEEP_TMP, ST_BUILD), taken
 * out of the environment before any test runs: config_load refuses an
 * ST_* name that is not a setting, as the server does.
 */
static struct {
	char name[32];
	char *value;
} harness[8];

static void
take_harness_env(void)
{
	extern char **environ;
	size_t n = 0, i, len;
	char **e;

	for (e = environ; *e != NULL && n < ST_ARRAY_LEN(harness); e++) {
		len = strcspn(*e, "=");
		if (strncmp(*e, "ST_", 3) != 0 ||
		    len >= sizeof(harness[0].name))
			continue;
		memcpy(harness[n].name, *e, len);
		harness[n].name[len] = '\0';
		harness[n].value = xstrdup(
		    *e + len + ((*e)[len] == '=' ? 1 : 0));
		n++;
	}
	for (i = 0; i < n; i++)
		unsetenv(harness[i].name);
}

const char *
unit_getenv(const char *name)
{
	size_t i;

	for (i = 0; i < ST_ARRAY_LEN(harness); i++)
		if (harness[i].value != NULL &&
		    strcmp(harness[i].name, name) == 0)
			return harness[i].value;
	return NULL;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct unit_test *)a)->name,
	    ((const struct unit_test *)b)->name);
}

/*
 * The tests whose code paths a failed allocation can reach without a
 * database, threads or a network: parsers, encoders and JSON builders.
 * The default set of --torture (a substring given on the command line
 * picks others). Left out: tests that parse JSON text with jansson
 * (mailtext_, the catalogues): jansson 2.14's lexer writes past its
 * buffer when a growth fails (valgrind shows it in json_loadf), a bug of
 * the library that no caller can handle.
 */
static const char *const torture_set[] = { "audit_csv", "buf_",
	"client_link_parse", "contacts_csv", "csvread_", "display_names",
	"domains_normalise", "email_", "envelope_link", "envelope_manifest",
	"envelope_x25519_stanza", "file_names", "json_depth", "ktproof_",
	"listq_", "mime_", "netaddr_", "num_parse", "phone_", "pins_", "proxy_",
	"range_", "router_", "s3_query", "s3_xml", "strict_framing",
	"tlog_checkpoints", "tlog_key_texts", "tlog_leaf", "totp_",
	"tus_metadata", "webauthn_", "words_" };

static int
in_torture_set(const char *name)
{
	size_t i;

	for (i = 0; i < ST_ARRAY_LEN(torture_set); i++)
		if (strstr(name, torture_set[i]) == name)
			return 1;
	return 0;
}

/*
 * One run of t in a child with the Nth allocation failing (n ULONG_MAX:
 * none, to count them): the x* wrappers then abort as on a real
 * out-of-memory, and jansson, whose allocator is xmalloc_or_null here,
 * gets a NULL that its callers must handle. Returns the child's wait
 * status; *calls gets the count when fd_count is wanted. The child's
 * output goes to out_fd.
 */
static int
torture_run(const struct unit_test *t, unsigned long n, int out_fd,
    unsigned long *calls)
{
	int pfd[2], status = -1;
	unsigned long got = 0;
	pid_t pid;

	if (pipe(pfd) == -1)
		return -1;
	if ((pid = fork()) == 0) {
		close(pfd[0]);
		dup2(out_fd, 1);
		dup2(out_fd, 2);
		alarm(20); /* a hang after a failure is a failure */
		json_set_alloc_funcs(xmalloc_or_null, free);
		xmalloc_fail_after(n);
		t->fn();
		got = xmalloc_calls();
		xmalloc_fail_after(0);
		if (write(pfd[1], &got, sizeof(got)) != sizeof(got))
			_exit(3);
		/* LeakSanitizer looks at exit (make SANITIZE=1). A test that
		 * saw the failure (a CHECK failed) may have left its own
		 * objects behind on the way out (REQUIRE returns early), so
		 * its leaks say nothing about the code under test: skip the
		 * look. ASan's use-after-free and double-free reports come
		 * at once, either way. */
		if (unit_failed_now())
			_exit(0);
		exit(0);
	}
	close(pfd[1]);
	if (pid > 0) {
		if (read(pfd[0], &got, sizeof(got)) == sizeof(got) &&
		    calls != NULL)
			*calls = got;
		waitpid(pid, &status, 0);
	}
	close(pfd[0]);
	return status;
}

/* Whether the child's end is one a failed allocation may cause: a clean
 * exit, or xmalloc's own abort ("out of memory"), and no sanitizer line. */
static int
torture_ok(int status, int out_fd)
{
	char text[8192];
	ssize_t len;

	len = pread(out_fd, text, sizeof(text) - 1, 0);
	text[len > 0 ? len : 0] = '\0';
	if (strstr(text, "Sanitizer") != NULL ||
	    strstr(text, "runtime error") != NULL)
		return 0;
	if (WIFEXITED(status))
		return WEXITSTATUS(status) == 0;
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT &&
	    strstr(text, "out of memory") != NULL;
}

static void
torture_report(
    const struct unit_test *t, unsigned long n, int status, int out_fd)
{
	char text[2048];
	ssize_t len = pread(out_fd, text, sizeof(text) - 1, 0);

	text[len > 0 ? len : 0] = '\0';
	printf("FAIL %s: allocation %lu failed: %s %d\n%s\n", t->name, n,
	    WIFSIGNALED(status) ? "signal" : "exit",
	    WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status), text);
}

/*
 * Runs t once to count its allocations, then once for each N = 1.. that
 * count (up to max, then every count/max-th), the Nth failing. A test's
 * own CHECKs may fail then (it sees the failure); what must not happen is
 * a crash, a hang or undefined behaviour under ASan+UBSan, or a leak when
 * the failure was absorbed (every CHECK passed).
 */
static int
torture(const struct unit_test *t, unsigned long max)
{
	char path[] = "/tmp/st-torture-XXXXXX";
	unsigned long count = 0, n, step;
	int fd, status, ok = 1;

	if ((fd = mkstemp(path)) == -1)
		return 0;
	unlink(path);
	status = torture_run(t, ULONG_MAX, fd, &count);
	if (!torture_ok(status, fd)) {
		torture_report(t, 0, status, fd);
		close(fd);
		return 0;
	}
	step = count > max ? count / max : 1;
	for (n = 1; n <= count && ok; n += step) {
		if (ftruncate(fd, 0) == -1 || lseek(fd, 0, SEEK_SET) == -1)
			break;
		status = torture_run(t, n, fd, NULL);
		if (!torture_ok(status, fd)) {
			torture_report(t, n, status, fd);
			ok = 0;
		}
	}
	close(fd);
	printf(
	    "%s %s (%lu allocations)\n", ok ? "ok  " : "FAIL", t->name, count);
	return ok;
}

int
main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	unsigned passed = 0, failed = 0;
	unsigned long max = 400;
	int tort = 0;
	size_t i;

	if (filter != NULL && strcmp(filter, "--torture") == 0) {
		tort = 1;
		filter = argc > 2 ? argv[2] : NULL;
	}
	if (sodium_init() < 0)
		return 2;
	take_harness_env();
	if (unit_getenv("ST_TORTURE_MAX") != NULL)
		max = strtoul(unit_getenv("ST_TORTURE_MAX"), NULL, 10);
	if (max == 0)
		max = 1;
	qsort(tests, ntests, sizeof(tests[0]), by_name);
	for (i = 0; tort && i < ntests; i++) {
		if (filter != NULL ? strstr(tests[i].name, filter) == NULL :
		                     !in_torture_set(tests[i].name))
			continue;
		fflush(stdout);
		if (torture(&tests[i], max))
			passed++;
		else
			failed++;
	}
	if (tort) {
		printf("%u passed, %u failed\n", passed, failed);
		return failed == 0 ? 0 : 1;
	}
	for (i = 0; i < ntests; i++) {
		if (filter != NULL && strstr(tests[i].name, filter) == NULL)
			continue;
		current_failed = 0;
		tests[i].fn();
		printf(
		    "%s %s\n", current_failed ? "FAIL" : "ok  ", tests[i].name);
		if (current_failed)
			failed++;
		else
			passed++;
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
