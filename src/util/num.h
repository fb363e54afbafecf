/*
 * The one bounded number parser (after kore_strtonum): decimal digits only,
 * no sign, no spaces, no leading '+', no leading zeros except "0" itself,
 * value in [min, max]. Anything else is -1 with *out untouched.
 */
#ifndef ST_NUM_H
#define ST_NUM_H

#include <stddef.h>
#include <stdint.h>

int num_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);
/* The same over exactly len bytes (not NUL-terminated input). */
int num_parse_u64n(
    const char *s, size_t len, uint64_t min, uint64_t max, uint64_t *out);

#endif
