/*
 * File names are display metadata (SECURITY.md §3 items 30, 31): the
 * browser sanitises a name before it goes into the manifest, and the
 * server refuses any name that is not already clean: at most 255 bytes,
 * no path separators, no control characters (C0, DEL, C1), no leading or
 * trailing space, no trailing dot, no Windows device name, and a last
 * extension in the allow-list (case-insensitive). Bidi controls are kept
 * (the UI shows them escaped) and judged by the last extension after them.
 */
#ifndef ST_FILENAME_H
#define ST_FILENAME_H

#define FILENAME_MAX_BYTES 255

/* allowed: "pdf, docx, ..." list. 0, or -1 with *why and *code. */
int filename_check(
    const char *name, const char *allowed, const char **code, const char **why);

#endif
