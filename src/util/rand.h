/*
 * Identifiers and tokens from the OS CSPRNG (libsodium's randombytes, which
 * uses getrandom). Text forms are base64url without padding.
 */
#ifndef ST_RAND_H
#define ST_RAND_H

#include <stddef.h>
#include <stdint.h>

#define RAND_ID_BYTES 16
#define RAND_ID_LEN 22 /* b64u of 16 bytes */
#define RAND_TOKEN_BYTES 32
#define RAND_TOKEN_LEN 43 /* b64u of 32 bytes */

void rand_bytes(void *buf, size_t len);
/* A 128-bit random id as 22 b64u characters plus NUL. */
void rand_id(char out[RAND_ID_LEN + 1]);
/* A 256-bit random token as 43 b64u characters plus NUL. */
void rand_token(char out[RAND_TOKEN_LEN + 1]);

/* b64u encode len bytes; out must hold b64u_len(len) + 1. */
size_t b64u_len(size_t len);
void b64u_encode(char *out, size_t outlen, const void *in, size_t len);
/*
 * Strict b64u decode (no padding, no whitespace, canonical trailing bits)
 * into at most outmax bytes. Returns the length, or -1.
 */
long b64u_decode(void *out, size_t outmax, const char *in, size_t len);
/* True for a well-formed 22-character id. */
int rand_id_valid(const char *s);

#endif
