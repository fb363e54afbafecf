/* Allocation wrappers; see xmalloc.h for why they abort. */
#include "util/common.h"

#include <sodium.h>

static unsigned long fail_countdown, calls;

void
xmalloc_fail_after(unsigned long n)
{
	fail_countdown = n;
	calls = 0;
}

unsigned long
xmalloc_calls(void)
{
	return calls;
}

static _Noreturn void
oom(size_t size)
{
	fprintf(stderr,
	    "{\"level\":\"fatal\",\"msg\":\"out of memory\","
	    "\"size\":%zu}\n",
	    size);
	abort();
}

static bool
injected_failure(void)
{
	/* Nothing is written unless a test armed the hook: the server's
	 * threads only ever read the zero. */
	if (fail_countdown == 0)
		return false;
	calls++;
	return --fail_countdown == 0;
}

void *
xmalloc_or_null(size_t size)
{
	return injected_failure() ? NULL : malloc(size);
}

void *
xmalloc(size_t size)
{
	void *p;

	if (size == 0)
		size = 1;
	if (injected_failure() || (p = malloc(size)) == NULL)
		oom(size);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p;

	if (n == 0 || size == 0)
		n = size = 1;
	if (n > SIZE_MAX / size)
		oom(SIZE_MAX);
	if (injected_failure() || (p = calloc(n, size)) == NULL)
		oom(n * size);
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	void *q;

	if (n == 0 || size == 0)
		n = size = 1;
	if (n > SIZE_MAX / size)
		oom(SIZE_MAX);
	if (injected_failure() || (q = realloc(p, n * size)) == NULL)
		oom(n * size);
	return q;
}

char *
xstrdup(const char *s)
{
	return xmemdup0(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	return xmemdup0(s, strnlen(s, n));
}

void *
xmemdup0(const void *p, size_t len)
{
	char *q;

	if (len == SIZE_MAX)
		oom(len);
	q = xmalloc(len + 1);
	if (len > 0)
		memcpy(q, p, len);
	q[len] = '\0';
	return q;
}

void
free_secret(void *p, size_t len)
{
	if (p == NULL)
		return;
	sodium_memzero(p, len);
	free(p);
}
