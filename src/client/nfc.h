/*
 * Unicode NFC for the client (docs/accounts-keys.md: the password is
 * normalised before Argon2id; docs/format-stf1.md §5: manifest strings are
 * NFC), on libunistring, as the browser's String.prototype.normalize('NFC').
 */
#ifndef ST_NFC_H
#define ST_NFC_H

#include <stddef.h>

/*
 * A NUL-terminated NFC copy of the len bytes at s (free with free(), or
 * free_secret() for a password), its length in *outlen if not NULL. NULL if
 * s is not valid UTF-8 or holds a NUL byte.
 */
char *nfc_dup(const char *s, size_t len, size_t *outlen);

/* 1 if the len bytes at s are valid UTF-8 without NUL, else 0. */
int nfc_valid_utf8(const char *s, size_t len);

#endif
