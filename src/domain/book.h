/*
 * What the address book (C1, S8) and templates (T1, S9) share: the
 * environment of a call, the result type, and the check of texts people
 * type. The stores are personal: every function takes the owner's user
 * id, and someone else's contact or template is BOOK_NOT_FOUND.
 */
#ifndef ST_BOOK_H
#define ST_BOOK_H

#include <stddef.h>

struct config;
struct db;

struct book_env {
	const struct config *cfg;
	struct db *db;
};

enum book_status {
	BOOK_OK,
	BOOK_INVALID, /* 400: code and why say which field */
	BOOK_NOT_FOUND, /* 404: absent or not the owner's */
	BOOK_CONFLICT, /* 409: the e-mail address or name is taken */
	BOOK_LIMIT, /* 400: the account has as many as allowed */
	BOOK_BUSY, /* 503 */
	BOOK_ERROR /* 500 */
};

struct book_result {
	enum book_status st;
	const char *code; /* the API error code */
	const char *why; /* the message */
};

/* A result; book_ok is BOOK_OK. */
struct book_result book_fail(
    enum book_status st, const char *code, const char *why);
extern const struct book_result book_ok;

/*
 * 1 when s is at most max characters with no control characters;
 * multiline also allows line feeds and tabs. s is UTF-8.
 */
int book_text_ok(const char *s, size_t max, int multiline);

#endif
