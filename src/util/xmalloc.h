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

/* Test hook: make the Nth allocation from now fail (0 = never). */
void xmalloc_fail_after(unsigned long n);

#endif
