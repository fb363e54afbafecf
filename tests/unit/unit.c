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
