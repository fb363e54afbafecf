/*
 * Composing a mail as RFC 5322 text: From, To, Subject, Date (Amsterdam
 * time with its offset), Message-ID, and a multipart/alternative body with
 * a plain text and an HTML part, both UTF-8 and base64. Header values with
 * CR or LF are refused, so no input can add a header. Display names are a
 * phrase of atoms, else a quoted-string (a comma or an angle bracket in a
 * name cannot make a second address), else, when not plain ASCII or when
 * they hold "=?", RFC 2047 encoded-words (UTF-8, base64) of at most 75
 * characters, cut between characters and folded; the Subject likewise.
 * Lines stay within 78 characters where the text allows.
 */
#ifndef ST_MIME_H
#define ST_MIME_H

#include "util/buf.h"

struct mail {
	const char *from; /* "Name <addr>" */
	const char *to; /* bare address */
	const char *to_name; /* may be NULL */
	const char *subject;
	const char *text;
	const char *html;
	const char *message_id; /* "id@domain", stable across retries */
};

/* 0, or -1 when a header value holds CR/LF or the result is too large. */
int mime_build(const struct mail *m, struct buf *out);
/* The address inside "Name <addr>", or the string itself. */
void mime_addr_spec(const char *from, char *out, size_t len);

/*
 * Appends "name <addr>" as an address header's value, name encoded as
 * above; only addr when name is NULL, empty, or addr itself (never
 * "a@b <a@b>"). col: the column the value starts at. 0 or -1 (too large).
 */
int mime_add_address(
    struct buf *b, const char *name, const char *addr, size_t col);

/* The domain of Message-IDs: the host of the public URL, lower case. */
void mime_msgid_domain(const char *public_url, char *out, size_t len);

#endif
