/*
 * File-name sanitising; see names.h. Works on code points: the input is
 * normalised to NFC first where it is valid UTF-8, and invalid bytes are
 * dropped, so the rules below see the characters the browser's do.
 */
#include "util/common.h"

#include <strings.h>
#include <unistr.h>

#include "client/names.h"
#include "client/nfc.h"

#define CP_MAX 1024 /* code points kept from one name: far above 255 bytes */

/* C0, DEL, C1. */
static int
is_control(ucs4_t c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}

/* Bidi controls and invisible format characters ("rapport\u202Efdp.exe"). */
static int
is_invisible(ucs4_t c)
{
	return c == 0xad || c == 0x61c || c == 0x180e ||
	    (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) ||
	    (c >= 0x2060 && c <= 0x2069) || c == 0xfeff ||
	    (c >= 0xfff9 && c <= 0xfffb);
}

/* JavaScript's \s. */
static int
is_space(ucs4_t c)
{
	return c == ' ' || (c >= 0x09 && c <= 0x0d) || c == 0xa0 ||
	    c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 ||
	    c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000 ||
	    c == 0xfeff;
}

struct cps {
	ucs4_t c[CP_MAX];
	size_t n;
};

/* NFC code points of raw; invalid UTF-8 bytes are skipped. */
static void
decode(const char *raw, size_t len, struct cps *o)
{
	char *nfc = nfc_dup(raw, len, &len);
	const uint8_t *p = (const uint8_t *)(nfc != NULL ? nfc : raw);
	const uint8_t *end = p + len;

	o->n = 0;
	while (p < end && o->n < CP_MAX) {
		ucs4_t c;
		int k = u8_mbtoucr(&c, p, (size_t)(end - p));

		if (k <= 0) { /* invalid or incomplete: drop one byte */
			p++;
			continue;
		}
		p += k;
		if (c != 0)
			o->c[o->n++] = c;
	}
	free(nfc);
}

static void
drop_if(struct cps *s, int (*pred)(ucs4_t))
{
	size_t i, j = 0;

	for (i = 0; i < s->n; i++)
		if (!pred(s->c[i]))
			s->c[j++] = s->c[i];
	s->n = j;
}

/* Keeps what follows the last '/' or '\'. */
static void
basename_of(struct cps *s)
{
	size_t i, from = 0;

	for (i = 0; i < s->n; i++)
		if (s->c[i] == '/' || s->c[i] == '\\')
			from = i + 1;
	memmove(s->c, s->c + from, (s->n - from) * sizeof(ucs4_t));
	s->n -= from;
}

static int
is_space_or_dot(ucs4_t c)
{
	return is_space(c) || c == '.';
}

static void
trim(struct cps *s, int (*lead)(ucs4_t), int (*trail)(ucs4_t))
{
	size_t from = 0;

	while (lead != NULL && from < s->n && lead(s->c[from]))
		from++;
	memmove(s->c, s->c + from, (s->n - from) * sizeof(ucs4_t));
	s->n -= from;
	while (s->n > 0 && trail(s->c[s->n - 1]))
		s->n--;
}

/* UTF-8 bytes of code points [0, n). */
static size_t
u8len(const ucs4_t *c, size_t n)
{
	size_t i, len = 0;

	for (i = 0; i < n; i++)
		len += c[i] < 0x80 ? 1 :
		    c[i] < 0x800   ? 2 :
		    c[i] < 0x10000 ? 3 :
		                     4;
	return len;
}

/*
 * Writes s into out, shortened to NAMES_MAX bytes while keeping an
 * extension of at most 16 characters (as clip() in names.js); a cut that
 * leaves the stem ending in a space or dot, or empty, is tidied (names.js
 * would keep "name .pdf"; Windows drops such characters).
 */
static void
emit(struct cps *s, char out[NAMES_MAX + 1])
{
	size_t dot = 0, stem = s->n, i, ext = 0, o = 0;
	int has_dot = 0;

	for (i = s->n; i > 0; i--)
		if (s->c[i - 1] == '.') {
			dot = i - 1;
			has_dot = 1;
			break;
		}
	if (u8len(s->c, s->n) > NAMES_MAX) {
		if (has_dot && dot > 0 && s->n - dot <= 16)
			ext = s->n - dot;
		stem = s->n - ext;
		while (stem > 0 &&
		    u8len(s->c, stem) + u8len(s->c + s->n - ext, ext) >
		        NAMES_MAX)
			stem--;
		while (stem > 0 && is_space_or_dot(s->c[stem - 1]))
			stem--;
		memmove(s->c + stem, s->c + s->n - ext, ext * sizeof(ucs4_t));
		s->n = stem + ext;
		if (stem == 0) {
			static const char d[] = "document";

			memmove(s->c + 8, s->c, ext * sizeof(ucs4_t));
			for (i = 0; i < 8; i++)
				s->c[i] = (ucs4_t)d[i];
			s->n = 8 + ext;
		}
	}
	for (i = 0; i < s->n; i++)
		o += (size_t)u8_uctomb((uint8_t *)out + o, s->c[i], 4);
	out[o] = '\0';
}

/* "con", "lpt1", "com²" ... followed by end or by what allows. */
static int
is_device(const struct cps *s, int dot_any)
{
	static const char *const dev[] = { "con", "prn", "aux", "nul", "conin$",
		"conout$" };
	size_t i, j, n;

	for (i = 0; i < ST_ARRAY_LEN(dev) + 2; i++) {
		const char *d = i < ST_ARRAY_LEN(dev) ? dev[i] :
		    i == 6                            ? "com" :
		                                        "lpt";
		int ok = 1;

		if (!dot_any && i >= 4 && i < 6)
			continue; /* the send rule knows no conin$/conout$ */
		n = strlen(d);
		if (s->n < n)
			continue;
		for (j = 0; j < n && ok; j++)
			ok = s->c[j] < 0x80 &&
			    (char)((s->c[j] | 0x20) & 0x7f) == d[j];
		if (!ok)
			continue;
		if (i >= 6) { /* one digit or ¹²³ follows */
			ucs4_t c = n < s->n ? s->c[n] : 0;

			if (!((c >= '0' && c <= '9') || c == 0xb9 ||
			        c == 0xb2 || c == 0xb3))
				continue;
			n++;
		}
		if (n == s->n || s->c[n] == '.')
			return 1;
	}
	return 0;
}

static void
prefix_underscore(struct cps *s)
{
	if (s->n == CP_MAX)
		s->n--;
	memmove(s->c + 1, s->c, s->n * sizeof(ucs4_t));
	s->c[0] = '_';
	s->n++;
}

static void
set_document(struct cps *s)
{
	static const char d[] = "document";
	size_t i;

	for (i = 0; i < sizeof(d) - 1; i++)
		s->c[i] = (ucs4_t)d[i];
	s->n = sizeof(d) - 1;
}

void
names_safe(const char *raw, size_t len, char out[NAMES_MAX + 1])
{
	static struct cps s; /* 4 KiB: not on the stack of a fuzzer */
	size_t i;

	decode(raw, len, &s);
	drop_if(&s, is_control);
	drop_if(&s, is_invisible);
	basename_of(&s);
	if (s.n >= 2 && s.c[1] == ':' && s.c[0] < 0x80 &&
	    ((s.c[0] | 0x20) >= 'a' && (s.c[0] | 0x20) <= 'z')) {
		memmove(s.c, s.c + 2, (s.n - 2) * sizeof(ucs4_t));
		s.n -= 2;
	}
	for (i = 0; i < s.n; i++)
		if (s.c[i] < 0x80 && strchr("<>:\"|?*", (int)s.c[i]) != NULL)
			s.c[i] = '_';
	trim(&s, is_space_or_dot, is_space_or_dot);
	if (s.n == 0)
		set_document(&s);
	if (is_device(&s, 1))
		prefix_underscore(&s);
	emit(&s, out);
}

void
names_send(const char *raw, size_t len, char out[NAMES_MAX + 1])
{
	static struct cps s;
	size_t i;

	decode(raw, len, &s);
	basename_of(&s);
	drop_if(&s, is_control);
	for (i = 0; i < s.n; i++)
		if (s.c[i] == ':')
			s.c[i] = '_';
	trim(&s, is_space, is_space_or_dot);
	if (s.n == 0 || (s.n == 1 && s.c[0] == '.') ||
	    (s.n == 2 && s.c[0] == '.' && s.c[1] == '.'))
		set_document(&s);
	if (is_device(&s, 0))
		prefix_underscore(&s);
	emit(&s, out);
}

static int
taken(char (*names)[NAMES_MAX + 1], size_t upto, const char *name)
{
	size_t i;

	for (i = 0; i < upto; i++)
		if (strcasecmp(names[i], name) == 0)
			return 1;
	return 0;
}

void
names_unique(char (*names)[NAMES_MAX + 1], size_t n)
{
	char cand[NAMES_MAX + 1], stem[NAMES_MAX + 1];
	size_t i, k;

	for (i = 1; i < n; i++) {
		const char *dot;
		size_t sl;

		if (!taken(names, i, names[i]))
			continue;
		dot = strrchr(names[i], '.');
		if (dot == names[i] || (dot != NULL && strlen(dot) >= 20))
			dot = NULL;
		sl = dot != NULL ? (size_t)(dot - names[i]) : strlen(names[i]);
		memcpy(stem, names[i], sl);
		stem[sl] = '\0';
		for (k = 2;; k++) {
			char tail[40];
			int tl = snprintf(tail, sizeof(tail), " (%zu)%s", k,
			    dot != NULL ? dot : "");
			size_t keep = sl;

			while (keep > 0 && keep + (size_t)tl > NAMES_MAX)
				keep--;
			/* Do not cut inside a UTF-8 sequence. */
			while (keep > 0 &&
			    ((unsigned char)stem[keep] & 0xc0) == 0x80 &&
			    keep < sl)
				keep--;
			snprintf(cand, sizeof(cand), "%.*s%s", (int)keep, stem,
			    tail);
			if (!taken(names, i, cand))
				break;
		}
		memcpy(names[i], cand, sizeof(cand));
	}
}
