/*
 * libFuzzer: mail headers (notify/mime.c). Input: a display name, a NUL
 * byte, a subject. Whatever they hold, the head of the built mail has
 * exactly its own header lines (every CRLF is followed by a header name or
 * a folding space), encoded-words of at most 75 characters, lines within
 * 998, and To ends in the one address.
 */
#include "util/common.h"

#include "notify/mime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = { "From: ", "To: ", "Subject: ", "Date: ",
	"Message-ID: ", "MIME-Version: ", "Auto-Submitted: ",
	"Content-Type: " };

static int
known_header(const char *line)
{
	size_t i;

	for (i = 0; i < ST_ARRAY_LEN(names); i++)
		if (strncmp(line, names[i], strlen(names[i])) == 0)
			return 1;
	return 0;
}

static void
check_head(const char *head, size_t len)
{
	const char *p = head, *end = head + len, *w;

	while (p < end) {
		const char *eol = strstr(p, "\r\n");
		size_t n;

		if (eol == NULL || eol > end)
			abort();
		n = (size_t)(eol - p);
		if (n > 998 || memchr(p, '\r', n) || memchr(p, '\n', n) ||
		    memchr(p, '\0', n))
			abort();
		if (p != head && *p != ' ' && !known_header(p))
			abort();
		p = eol + 2;
	}
	for (w = head; (w = strstr(w, "=?UTF-8?B?")) != NULL && w < end;
	     w += 2) {
		const char *q = strstr(w + 10, "?=");

		if (q == NULL || q + 2 - w > 75)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mail m = { 0 };
	struct buf b;
	char *in, *nul, *head_end;

	if (size > 4096)
		return 0;
	in = xmalloc(size + 2);
	memcpy(in, data, size);
	in[size] = '\0';
	in[size + 1] = '\0';
	nul = memchr(in, '\0', size + 1);
	m.from = "\"SecureTransfer, Rijksoverheid\" <noreply@org.nl>";
	m.to = "a@org.nl";
	m.to_name = in;
	m.subject = nul + 1 <= in + size ? nul + 1 : "";
	m.text = "t";
	m.html = "h";
	m.message_id = "id@example.nl";
	buf_init(&b, 1 << 20);
	if (mime_build(&m, &b) == 0) {
		head_end = strstr(b.data, "\r\n\r\n");
		if (head_end == NULL)
			abort();
		check_head(b.data, (size_t)(head_end - b.data) + 2);
		if (strstr(b.data, " <a@org.nl>\r\nSubject: ") == NULL &&
		    strstr(b.data, "To: a@org.nl\r\nSubject: ") == NULL)
			abort();
	} else if (strpbrk(m.to_name, "\r\n") == NULL &&
	    strpbrk(m.subject, "\r\n") == NULL)
		abort(); /* only CR/LF may refuse a mail */
	buf_release(&b);
	free(in);
	return 0;
}
