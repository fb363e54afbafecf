/* RFC 5322 mails; see mime.h. */
#include "util/common.h"

#include <sodium.h>
#include <strings.h>
#include <time.h>

#include "notify/mime.h"
#include "util/rand.h"
#include "util/tz.h"

#define LINE_SOFT 78 /* RFC 5322 §2.1.1: SHOULD */
#define WORD_RAW_MAX 45 /* bytes per encoded-word: 60 base64 chars, 72 in all */
#define PLAIN_MAX \
	400 /* longer plain text is encoded (it could not be folded) */

static int
has_crlf(const char *s)
{
	return s != NULL && strpbrk(s, "\r\n") != NULL;
}

/* Plain printable ASCII, without "=?" (which a reader would decode). */
static int
plain_ascii(const char *s)
{
	for (const char *p = s; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			return 0;
	return strstr(s, "=?") == NULL;
}

/* RFC 5322 atext, and the space between atoms. */
static int
atom_or_space(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == ' ' ||
	    (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* Atoms separated by single spaces: a phrase that needs no quotes. */
static int
atoms_only(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || s[0] == ' ' || s[n - 1] == ' ' || strstr(s, "  "))
		return 0;
	for (i = 0; i < n; i++)
		if (!atom_or_space(s[i]))
			return 0;
	return 1;
}

/* Bytes of the UTF-8 character at s (1 for a stray byte). */
static size_t
utf8_len(const unsigned char *s, size_t left)
{
	size_t n = *s < 0x80 ? 1 :
	    *s >= 0xf0       ? 4 :
	    *s >= 0xe0       ? 3 :
	    *s >= 0xc0       ? 2 :
	                       1;
	size_t i;

	if (n > left)
		return 1;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 1;
	return n;
}

/*
 * len bytes of s as RFC 2047 encoded-words (UTF-8, base64), each at most
 * 75 characters and cut between characters (after a space where one is
 * near), folded onto new lines; *col is the column where the first would
 * start and is moved past the last.
 */
static int
add_encoded_words(struct buf *b, const char *s, size_t left, size_t *col)
{
	const unsigned char *p = (const unsigned char *)s;
	int r = 0;

	while (left > 0 && r == 0) {
		char enc[sodium_base64_ENCODED_LEN(
		    WORD_RAW_MAX, sodium_base64_VARIANT_ORIGINAL)];
		size_t room = *col + 12 < LINE_SOFT ?
		    (LINE_SOFT - *col - 12) / 4 * 3 :
		    0,
		       n = 0, c, space = 0;

		if (room > WORD_RAW_MAX)
			room = WORD_RAW_MAX;
		while (
		    n < left && n + (c = utf8_len(p + n, left - n)) <= room) {
			n += c;
			if (p[n - 1] == ' ')
				space = n;
		}
		if (n == 0) {
			/* Not even one character fits: the next line. */
			if (*col <= 1)
				return -1;
			r |= buf_adds(b, "\r\n ");
			*col = 1;
			continue;
		}
		/* Readers differ on the folding space between two
		 * encoded-words of a name (RFC 2047 drops it; Python's email
		 * package and mailparser keep it): cut after a space of the
		 * text, kept inside the first word, so that both read the
		 * words whole (the latter with one space more). Only a word
		 * longer than an encoded-word is cut inside. */
		if (n < left && space > 0)
			n = space;
		sodium_bin2base64(
		    enc, sizeof(enc), p, n, sodium_base64_VARIANT_ORIGINAL);
		r |= buf_printf(b, "=?UTF-8?B?%s?=", enc);
		*col += 12 + strlen(enc);
		p += n;
		left -= n;
		if (left > 0) {
			r |= buf_adds(b, "\r\n ");
			*col = 1;
		}
	}
	return r;
}

/* A word that may stay as it is: ASCII without "=?", an atom in a phrase. */
static int
plain_word(const char *w, size_t n, int phrase)
{
	size_t i;

	if (n == 0 || n > PLAIN_MAX ||
	    (n >= 2 && memmem(w, n, "=?", 2) != NULL))
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)w[i] <= 0x20 ||
		    (unsigned char)w[i] >= 0x7f ||
		    (phrase && !atom_or_space(w[i])))
			return 0;
	return 1;
}

/*
 * s word by word: plain words as they are, each run of the others as
 * encoded-words, so that only what needs it is encoded and two
 * encoded-words are next to each other only within one long run. Folds
 * before a word that would pass the line. col: where s starts.
 */
static int
add_words(struct buf *b, const char *s, size_t col, int phrase)
{
	const char *p = s;
	int r = 0;

	while (*p != '\0' && r == 0) {
		size_t n = strcspn(p, " "), run = n, need;
		int plain = plain_word(p, n, phrase);

		/* A run: this word and the following ones that are not plain. */
		while (!plain && p[run] == ' ' &&
		    !plain_word(p + run + 1, strcspn(p + run + 1, " "), phrase))
			run += 1 + strcspn(p + run + 1, " ");
		/* The room the word needs: a run that fits one encoded-word
		 * is not cut for the end of a line. */
		need = plain            ? run :
		    run <= WORD_RAW_MAX ? 12 + (run + 2) / 3 * 4 :
		                          16;
		if (p != s) {
			if (col + 1 + need > LINE_SOFT) {
				r |= buf_adds(b, "\r\n ");
				col = 1;
			} else {
				r |= buf_addc(b, ' ');
				col++;
			}
		}
		if (plain) {
			r |= buf_add(b, p, run);
			col += run;
		} else
			r |= add_encoded_words(b, p, run, &col);
		p += run;
		if (*p == ' ')
			p++;
	}
	return r;
}

/* Unstructured text (Subject). */
static int
add_text(struct buf *b, const char *s, size_t col)
{
	return add_words(b, s, col, 0);
}

int
mime_add_address(struct buf *b, const char *name, const char *addr, size_t col)
{
	int r = 0;
	size_t i;

	if (name == NULL || *name == '\0' || strcasecmp(name, addr) == 0)
		return buf_adds(b, addr);
	if (!plain_ascii(name) || strlen(name) > PLAIN_MAX)
		r |= add_words(b, name, col, 1);
	else if (atoms_only(name))
		r |= buf_adds(b, name);
	else {
		/* A quoted-string: commas, angle brackets, dots, @ stay
		 * inside it; only " and \ need a backslash. */
		r |= buf_addc(b, '"');
		for (i = 0; name[i] != '\0'; i++) {
			if (name[i] == '"' || name[i] == '\\')
				r |= buf_addc(b, '\\');
			r |= buf_addc(b, name[i]);
		}
		r |= buf_addc(b, '"');
	}
	r |= buf_printf(b, " <%s>", addr);
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

/* The display name of "Name <addr>" or "\"Name\" <addr>" (caller frees). */
static char *
from_name(const char *from)
{
	const char *lt = strrchr(from, '<');
	size_t n = lt != NULL ? (size_t)(lt - from) : 0;
	char *name, *w;
	const char *q;

	while (n > 0 && from[n - 1] == ' ')
		n--;
	if (n >= 2 && from[0] == '"' && from[n - 1] == '"') {
		name = xstrndup(from + 1, n - 2);
		for (q = name, w = name; *q != '\0'; q++) {
			if (*q == '\\' && q[1] != '\0')
				q++;
			*w++ = *q;
		}
		*w = '\0';
		return name;
	}
	return xstrndup(from, n);
}

/* The Date header in Amsterdam time, with its offset. */
static void
date_header(char *out, size_t len)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
		"Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May",
		"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tz_tm tm;
	int off;

	tz_local((int64_t)time(NULL), &tm);
	off = tm.utoff < 0 ? -tm.utoff : tm.utoff;
	snprintf(out, len, "%s, %02d %s %04d %02d:%02d:%02d %c%02d%02d",
	    days[tm.wday], tm.day, months[tm.month - 1], tm.year, tm.hour,
	    tm.min, tm.sec, tm.utoff < 0 ? '-' : '+', off / 3600,
	    off / 60 % 60);
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

int
mime_build(const struct mail *m, struct buf *b)
{
	char date[64], boundary[RAND_ID_LEN + 8], addr[320],
	    id[RAND_ID_LEN + 1], *name;
	int r = 0;

	if (has_crlf(m->from) || has_crlf(m->to) || has_crlf(m->to_name) ||
	    has_crlf(m->subject) || has_crlf(m->message_id) ||
	    strpbrk(m->to, "<>\" ,") != NULL)
		return -1;
	date_header(date, sizeof(date));
	rand_id(id);
	snprintf(boundary, sizeof(boundary), "=_st_%s", id);
	mime_addr_spec(m->from, addr, sizeof(addr));
	name = from_name(m->from);
	r |= buf_adds(b, "From: ");
	r |= mime_add_address(b, name, addr, 6);
	free(name);
	r |= buf_adds(b, "\r\nTo: ");
	r |= mime_add_address(b, m->to_name, m->to, 4);
	r |= buf_adds(b, "\r\nSubject: ");
	r |= add_text(b, m->subject, 9);
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

void
mime_msgid_domain(const char *public_url, char *out, size_t len)
{
	const char *host = strstr(public_url, "://");
	size_t n;

	host = host != NULL ? host + 3 : public_url;
	if (*host == '[')
		n = strcspn(host, "]") + 1; /* an IPv6 literal, as is */
	else
		n = strcspn(host, ":/?#");
	if (n == 0 || n > 253)
		snprintf(out, len, "localhost");
	else
		snprintf(out, len, "%.*s", (int)n, host);
	for (char *p = out; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
}
