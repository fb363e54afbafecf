/*
 * A growable byte buffer with a hard cap, always NUL-terminated (after the
 * last byte, not counted in len). Appends past the cap fail with -1 and
 * leave the buffer as it was, so a client cannot grow one without bound.
 * Modelled on curl's dynbuf.
 */
#ifndef ST_BUF_H
#define ST_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data; /* NULL until the first append */
	size_t len; /* bytes in use, excluding the NUL */
	size_t cap; /* bytes allocated */
	size_t max; /* hard limit on len */
};

/* No allocation; max is the largest len the buffer may ever reach. */
void buf_init(struct buf *b, size_t max);
/* Frees the contents; the buffer may be reused after buf_init. */
void buf_release(struct buf *b);
/* Wipes, then frees: for buffers that held secrets. */
void buf_release_secret(struct buf *b);
void buf_reset(struct buf *b);

int buf_add(struct buf *b, const void *p, size_t len);
int buf_adds(struct buf *b, const char *s);
int buf_addc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Hands the data to the caller (who frees it); the buffer is emptied. */
char *buf_detach(struct buf *b, size_t *len);
/* The contents, or "" when empty; never NULL. */
const char *buf_str(const struct buf *b);

#endif
