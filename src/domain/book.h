/*
 * What the address book (C1, S8) and templates (T1, S9) share: the
 * environment of a call and the check of texts people
 * type. The stores are personal: every function takes the owner's user
 * id, and someone else's contact or template is ST_NOT_FOUND.
 */
#ifndef ST_BOOK_H
#define ST_BOOK_H

#include <stddef.h>

#include "domain/result.h"

struct config;
struct db;

struct book_env {
	const struct config *cfg;
	struct db *db;
};

/*
 * 1 when s is at most max characters with no control characters;
 * multiline also allows line feeds and tabs. s is UTF-8.
 */
int book_text_ok(const char *s, size_t max, int multiline);

#endif
