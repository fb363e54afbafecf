/* The unit-test runner's main: runs registered tests, prints the tally. */
#include "unit.h"

#include <sodium.h>

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

int
main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	unsigned passed = 0, failed = 0;
	size_t i;

	if (sodium_init() < 0)
		return 2;
	take_harness_env();
	qsort(tests, ntests, sizeof(tests[0]), by_name);
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
