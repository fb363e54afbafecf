/*
 * Mobile numbers (S10): "0612345678", "06-12345678", "+31 6 1234 5678" and
 * "0031612345678" become "+31612345678". Dutch numbers must be mobile
 * (+316 and eight digits); others are E.164 (+, 8 to 15 digits) and their
 * country code must be in the allowed list (SMS pumping, W15). Spaces,
 * dashes, dots and parentheses are dropped; anything else is refused.
 */
#ifndef ST_PHONE_H
#define ST_PHONE_H

#include <stddef.h>

#define PHONE_MAX 16 /* "+" and 15 digits */

/* allowed: "+31, +32" style list. 0, or -1 with *why. */
int phone_normalise(const char *in, const char *allowed, char *out,
    size_t outlen, const char **why);

#endif
