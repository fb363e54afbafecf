/*
 * Allocation wrappers that abort on out-of-memory. Every input that decides
 * a size is capped before it reaches these, so a client cannot trigger the
 * abort; what remains is a real OOM, which the process cannot survive.
 */
#ifndef ST_XMALLOC_H
#define ST_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
/* Zeroed n * size bytes; aborts if the product overflows. */
void *xcalloc(size_t n, size_t size);
/* realloc of n * size bytes; aborts if the product overflows. */
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Copy of len bytes plus a terminating NUL. */
void *xmemdup0(const void *p, size_t len);

/* Wipes len bytes of p with a store the compiler cannot drop, then frees. */
void free_secret(void *p, size_t len);

/*
 * Test hooks (the unit runner's torture mode, tests/unit/unit.c). Make the
 * Nth allocation from now fail (0 = never): an x* wrapper then aborts as
 * on a real out-of-memory, xmalloc_or_null returns NULL. Not thread-safe;
 * the counters are for the single-threaded runner only.
 */
void xmalloc_fail_after(unsigned long n);
/* Allocations through these wrappers since the hook was armed (counted
 * only while it is: arm it with ULONG_MAX to count without failing). */
unsigned long xmalloc_calls(void);
/* malloc for a library that handles a NULL itself (jansson's allocator in
 * the torture runner); counted and failed like the others. */
void *xmalloc_or_null(size_t size);

#endif
