/* RFC 5322 mails; see mime.h. */
#include "util/common.h"

#include <sodium.h>
#include <time.h>

#include "notify/mime.h"
#include "util/rand.h"

static int
has_crlf(const char *s)
{
	return s != NULL && strpbrk(s, "\r\n") != NULL;
}

static int
is_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/* An RFC 2047 encoded-word (UTF-8, base64) when s is not plain ASCII. */
static int
add_header_text(struct buf *b, const char *s)
{
	size_t n = strlen(s), blen;
	char *enc;
	int r;

	if (is_ascii(s))
		return buf_adds(b, s);
	blen = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	enc = xmalloc(blen);
	sodium_bin2base64(enc, blen, (const unsigned char *)s, n,
	    sodium_base64_VARIANT_ORIGINAL);
	r = buf_printf(b, "=?UTF-8?B?%s?=", enc);
	free(enc);
	return r;
}

/* A body part in base64, folded at 76 characters. */
static int
add_base64_body(struct buf *b, const char *s)
{
	size_t n = strlen(s), blen, i, len;
	char *enc;
	int r = 0;

	blen = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	enc = xmalloc(blen);
	sodium_bin2base64(enc, blen, (const unsigned char *)s, n,
	    sodium_base64_VARIANT_ORIGINAL);
	len = strlen(enc);
	for (i = 0; i < len && r == 0; i += 76) {
		r |= buf_add(b, enc + i, len - i < 76 ? len - i : 76);
		r |= buf_adds(b, "\r\n");
	}
	free(enc);
	return r;
}

void
mime_addr_spec(const char *from, char *out, size_t len)
{
	const char *lt = strrchr(from, '<'), *gt;

	if (lt != NULL && (gt = strchr(lt, '>')) != NULL)
		snprintf(out, len, "%.*s", (int)(gt - lt - 1), lt + 1);
	else
		snprintf(out, len, "%s", from);
}

int
mime_build(const struct mail *m, struct buf *b)
{
	char date[64], boundary[RAND_ID_LEN + 8], addr[320],
	    id[RAND_ID_LEN + 1];
	const char *lt;
	struct tm tm;
	time_t now = time(NULL);
	int r = 0;

	if (has_crlf(m->from) || has_crlf(m->to) || has_crlf(m->to_name) ||
	    has_crlf(m->subject) || has_crlf(m->message_id))
		return -1;
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	rand_id(id);
	snprintf(boundary, sizeof(boundary), "=_st_%s", id);
	mime_addr_spec(m->from, addr, sizeof(addr));

	r |= buf_adds(b, "From: ");
	if ((lt = strrchr(m->from, '<')) != NULL && lt > m->from) {
		char *name = xstrndup(m->from, (size_t)(lt - m->from));

		name[strcspn(name, "\"")] = '\0';
		while (*name && name[strlen(name) - 1] == ' ')
			name[strlen(name) - 1] = '\0';
		r |= add_header_text(b, name);
		free(name);
		r |= buf_printf(b, " <%s>\r\n", addr);
	} else
		r |= buf_printf(b, "%s\r\n", addr);
	r |= buf_adds(b, "To: ");
	if (m->to_name != NULL && *m->to_name != '\0') {
		r |= add_header_text(b, m->to_name);
		r |= buf_printf(b, " <%s>\r\n", m->to);
	} else
		r |= buf_printf(b, "%s\r\n", m->to);
	r |= buf_adds(b, "Subject: ");
	r |= add_header_text(b, m->subject);
	r |= buf_printf(b,
	    "\r\nDate: %s\r\nMessage-ID: <%s>\r\n"
	    "MIME-Version: 1.0\r\nAuto-Submitted: auto-generated\r\n"
	    "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n",
	    date, m->message_id, boundary);
	r |= buf_printf(b,
	    "--%s\r\nContent-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n",
	    boundary);
	r |= add_base64_body(b, m->text);
	r |= buf_printf(b,
	    "--%s\r\nContent-Type: text/html; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n",
	    boundary);
	r |= add_base64_body(b, m->html);
	r |= buf_printf(b, "--%s--\r\n", boundary);
	return r ? -1 : 0;
}
