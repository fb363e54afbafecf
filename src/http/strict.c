/* Request-head framing checks; see strict.h. */
#include "util/common.h"

#include <microhttpd.h>
#include <strings.h>

#include "http/request.h"
#include "http/strict.h"

/* RFC 9110 §5.6.2: tchar. */
static int
is_tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* RFC 9110 §5.5: field-vchar, SP and HTAB; obs-text is let through. */
static int
is_value_char(unsigned char c)
{
	return c == '\t' || (c >= 0x20 && c != 0x7f);
}

static int
name_is(const char *key, size_t klen, const char *name)
{
	return strlen(name) == klen && strncasecmp(key, name, klen) == 0;
}

void
strict_init(struct strict_state *st)
{
	memset(st, 0, sizeof(*st));
}

void
strict_header(struct strict_state *st, const char *key, size_t klen,
    const char *value, size_t vlen)
{
	size_t i;

	if (klen == 0 && st->problem == NULL)
		st->problem = "A header has no name";
	for (i = 0; i < klen && st->problem == NULL; i++)
		if (!is_tchar((unsigned char)key[i]))
			st->problem = "A header name has a character "
			              "that is not allowed (whitespace "
			              "before the colon?)";
	for (i = 0; i < vlen && st->problem == NULL; i++)
		if (!is_value_char((unsigned char)value[i]))
			st->problem = "A header value has a control character";
	if (name_is(key, klen, "Content-Length"))
		st->content_length++;
	else if (name_is(key, klen, "Host"))
		st->host++;
	else if (name_is(key, klen, "Transfer-Encoding")) {
		st->transfer_encoding++;
		st->te_chunked = vlen == 7 &&
		    strncasecmp(value, "chunked", 7) == 0;
	}
}

unsigned
strict_verdict(const struct strict_state *st, int minor, const char **why)
{
	*why = NULL;
	if (st->problem != NULL)
		*why = st->problem;
	else if (st->content_length > 1)
		*why = "More than one Content-Length";
	else if (st->transfer_encoding > 0 && st->content_length > 0)
		*why = "Both Content-Length and Transfer-Encoding";
	else if (st->transfer_encoding > 1)
		*why = "More than one Transfer-Encoding";
	else if (st->transfer_encoding > 0 && minor == 0)
		*why = "Transfer-Encoding in an HTTP/1.0 request";
	else if (minor >= 1 && st->host == 0)
		*why = "An HTTP/1.1 request needs a Host header";
	else if (st->host > 1)
		*why = "More than one Host header";
	else if (st->transfer_encoding > 0 && !st->te_chunked) {
		*why = "Only the chunked transfer coding is supported";
		return 501;
	}
	return *why != NULL ? 400 : 0;
}

static enum MHD_Result
each_header(void *cls, enum MHD_ValueKind kind, const char *key,
    size_t key_size, const char *value, size_t value_size)
{
	ST_UNUSED(kind);
	strict_header(cls, key, key_size, value != NULL ? value : "",
	    value != NULL ? value_size : 0);
	return MHD_YES;
}

int
strict_check_request(struct request *req, const char *version)
{
	struct strict_state st;
	const char *why;
	unsigned status;
	int minor = version != NULL && strcmp(version, "HTTP/1.0") == 0 ? 0 : 1;

	strict_init(&st);
	MHD_get_connection_values_n(
	    req->conn, MHD_HEADER_KIND, each_header, &st);
	if ((status = strict_verdict(&st, minor, &why)) == 0)
		return 0;
	reply_error(req, status,
	    status == 501 ? "not_implemented" : "bad_request", why);
	req->close = 1;
	return -1;
}
