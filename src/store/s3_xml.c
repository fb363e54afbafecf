/* Element text from S3's XML answers; see s3_xml.h. */
#include "util/common.h"

#include "store/s3_xml.h"

/* The position of needle in [p, end), or NULL. */
static const char *
find(const char *p, const char *end, const char *needle, size_t n)
{
	while ((size_t)(end - p) >= n) {
		const char *q = memchr(p, needle[0], (size_t)(end - p) - n + 1);

		if (q == NULL)
			return NULL;
		if (memcmp(q, needle, n) == 0)
			return q;
		p = q + 1;
	}
	return NULL;
}

/* Decodes one entity at p (after '&') into *c; its length, or 0. */
static size_t
entity(const char *p, const char *end, char *c)
{
	static const struct {
		const char *name;
		char c;
	} named[] = { { "quot;", '"' }, { "amp;", '&' }, { "lt;", '<' },
		{ "gt;", '>' }, { "apos;", '\'' } };
	unsigned v = 0;
	size_t i, n;

	for (i = 0; i < ST_ARRAY_LEN(named); i++) {
		n = strlen(named[i].name);
		if ((size_t)(end - p) >= n &&
		    memcmp(p, named[i].name, n) == 0) {
			*c = named[i].c;
			return n;
		}
	}
	/* &#NN; for printable ASCII only: nothing S3 sends us needs more. */
	if (p >= end || *p != '#')
		return 0;
	for (i = 1; p + i < end && i < 5 && p[i] >= '0' && p[i] <= '9'; i++)
		v = v * 10 + (unsigned)(p[i] - '0');
	if (i == 1 || p + i >= end || p[i] != ';' || v < 0x20 || v > 0x7e)
		return 0;
	*c = (char)v;
	return i + 1;
}

int
s3_xml_next(const char **pos, const char *end, const char *tag, char *out,
    size_t outlen)
{
	char open[64], close[64];
	const char *a, *b, *p;
	size_t o = 0, n;
	int lo, lc;

	lo = snprintf(open, sizeof(open), "<%s>", tag);
	lc = snprintf(close, sizeof(close), "</%s>", tag);
	if (lo <= 0 || (size_t)lc >= sizeof(close) || outlen == 0)
		return -1;
	if ((a = find(*pos, end, open, (size_t)lo)) == NULL)
		return -1;
	a += lo;
	if ((b = find(a, end, close, (size_t)lc)) == NULL)
		return -1;
	for (p = a; p < b; p++) {
		char c = *p;

		/* Nested markup or control bytes: not what S3 sends us. */
		if (c == '<' || (unsigned char)c < 0x20 || c == 0x7f)
			return -1;
		if (c == '&') {
			if ((n = entity(p + 1, b, &c)) == 0)
				return -1;
			p += n;
		}
		if (o + 1 >= outlen)
			return -1;
		out[o++] = c;
	}
	out[o] = '\0';
	*pos = b + lc;
	return 0;
}
