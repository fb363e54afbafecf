/*
 * Time-based one-time passwords (RFC 6238 over RFC 4226): HMAC-SHA-1, six
 * digits, 30-second steps, what every authenticator app speaks. Pure
 * functions; storing the secret and refusing a used step is factors.c's.
 */
#ifndef ST_TOTP_H
#define ST_TOTP_H

#include <stddef.h>
#include <stdint.h>

#define TOTP_SECRET_LEN 20 /* 160 bits, RFC 4226's recommendation */
#define TOTP_DIGITS 6
#define TOTP_PERIOD 30
#define TOTP_B32_LEN 32 /* base32 of 20 bytes, no padding */

/* The code for time step step into out (six digits and a NUL). */
void totp_code(const unsigned char *secret, size_t len, int64_t step,
    char out[TOTP_DIGITS + 1]);
/* The time step of unix time t. */
int64_t totp_step(int64_t t);
/*
 * Checks code against the steps of now - 1, now and now + 1 (one step of
 * clock drift either way), comparing all three in constant time. Returns
 * 1 with *step set to the step that matched, 0 when none did or code is
 * not six digits.
 */
int totp_check(const unsigned char *secret, size_t len, const char *code,
    int64_t now, int64_t *step);
/* RFC 4648 base32 without padding, upper case; out holds 8/5 len + 2. */
void totp_base32(char *out, size_t outlen, const unsigned char *in, size_t len);

#endif
