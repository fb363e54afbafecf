/*
 * File names across the trust boundary, as the browser does them
 * (web/src/receive/names.js, web/src/lib/filenames.js):
 *
 *  - a name from a manifest is from a possibly hostile sender (SECURITY.md
 *    §1.10, Zip Slip): names_safe() turns it into one plain file name that
 *    is never a path — basename only, no "..", "/", "\", drive letters,
 *    control or bidi characters, Windows reserved characters or device
 *    names, at most 255 bytes;
 *  - a name the CLI sends: names_send() gives what the server accepts
 *    (domain/filename.c) from a local path's last component.
 *
 * Both take any bytes (invalid UTF-8 sequences are dropped) and always
 * produce a non-empty NUL-terminated name of at most NAMES_MAX bytes.
 */
#ifndef ST_NAMES_H
#define ST_NAMES_H

#include <stddef.h>

#define NAMES_MAX 255

/* out must hold NAMES_MAX + 1 bytes. */
void names_safe(const char *raw, size_t len, char out[NAMES_MAX + 1]);
void names_send(const char *raw, size_t len, char out[NAMES_MAX + 1]);

/*
 * The names of one message's documents made unique case-insensitively
 * (ASCII) as "naam (2).pdf", "naam (3).pdf", in place; n names of
 * NAMES_MAX + 1 bytes each, already safe.
 */
void names_unique(char (*names)[NAMES_MAX + 1], size_t n);

#endif
