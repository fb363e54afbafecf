/*
 * The framing rules of RFC 9112 and RFC 9110 that libmicrohttpd 0.9.75
 * (Debian 12) does not enforce itself, checked on the request head before
 * anything else looks at it: a request that two parsers could read two
 * ways (request smuggling through a proxy) is refused with 400 and the
 * connection closed.
 *
 * Refused: a header name with anything but token characters (so also
 * whitespace before the colon, RFC 9112 §5.1); a value with a control
 * character other than tab (a CR, a DEL; RFC 9110 §5.5); two Content-Length
 * headers (§6.3); Transfer-Encoding with Content-Length, more than once,
 * on HTTP/1.0, or anything but "chunked" (501 then, §6.1); an HTTP/1.1
 * request without Host or with two (§3.2).
 *
 * Not visible here, because libmicrohttpd rewrites them before any
 * callback runs: a folded line (obs-fold) is joined to the line before it,
 * and a value is cut at a NUL byte. docs/security.md says what covers them.
 *
 * Feed every header of the request with strict_header, then ask
 * strict_verdict. No allocation; the state lives on the caller's stack.
 */
#ifndef ST_STRICT_H
#define ST_STRICT_H

#include <stddef.h>

struct request;

struct strict_state {
	unsigned content_length; /* headers seen */
	unsigned transfer_encoding;
	unsigned host;
	int te_chunked; /* the (last) Transfer-Encoding is "chunked" */
	const char *problem; /* the first bad header's reason, or NULL */
};

void strict_init(struct strict_state *st);
/* One header as received: key and value need not be NUL-terminated. */
void strict_header(struct strict_state *st, const char *key, size_t klen,
    const char *value, size_t vlen);

/*
 * After the last header: 0 when the head is acceptable, else the status
 * to answer (400, or 501 for an unknown transfer coding) with a reason in
 * *why (static text). minor is the HTTP/1.x minor version (0 or 1).
 */
unsigned strict_verdict(
    const struct strict_state *st, int minor, const char **why);

/*
 * The checks on req's head (libmicrohttpd's header list; version as in the
 * request line). 0, or -1 with the answer set (JSON error, and
 * Connection: close, so nothing after this head is read as a request).
 */
int strict_check_request(struct request *req, const char *version);

#endif
