/*
 * Composing a mail as RFC 5322 text: From, To, Subject (RFC 2047 when not
 * ASCII), Date, Message-ID, and a multipart/alternative body with a plain
 * text and an HTML part, both UTF-8 and base64. Header values with CR or
 * LF are refused, so no input can add a header.
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
	const char *message_id; /* without <>, stable across retries */
};

/* 0, or -1 when a header value holds CR/LF or the result is too large. */
int mime_build(const struct mail *m, struct buf *out);
/* The address inside "Name <addr>", or the string itself. */
void mime_addr_spec(const char *from, char *out, size_t len);

#endif
