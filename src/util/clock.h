/*
 * Wall-clock time for expiries and rate windows. Tests may shift it with
 * testing.clock_file (seconds to add, read at each call); the setting is
 * refused when server.public_url is https, so production never has it.
 */
#ifndef ST_CLOCK_H
#define ST_CLOCK_H

#include <stdint.h>

/* Seconds since the epoch, plus the test offset. */
int64_t clock_now(void);
/* Microseconds since the epoch, plus the test offset. */
int64_t clock_now_us(void);
/* Sets the offset file (NULL or "": none). */
void clock_set_offset_file(const char *path);

#endif
