/* Receive targets; see link.h. */
#include "util/common.h"

#include <ctype.h>
#include <sodium.h>
#include <strings.h>

#include "client/link.h"

#define FAIL(msg) \
	do { \
		*why = (msg); \
		goto fail; \
	} while (0)

static int
is_b64u(int c)
{
	return isalnum(c) || c == '-' || c == '_';
}

/* The number of b64u characters at p (at most max + 1). */
static size_t
b64u_run(const char *p, const char *end, size_t max)
{
	size_t n = 0;

	while (p + n < end && n <= max && is_b64u((unsigned char)p[n]))
		n++;
	return n;
}

static int
authority_ok(const char *p, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (!(isalnum(c) || c == '.' || c == '-' || c == ':' ||
		        c == '[' || c == ']'))
			return 0;
	}
	return 1;
}

/* Finds "/seg/" in [p, end) at a segment start; NULL if absent. */
static const char *
find_segment(const char *p, const char *end, const char *seg)
{
	size_t n = strlen(seg);

	for (; p + n <= end; p++)
		if (*p == '/' && memcmp(p, seg, n) == 0)
			return p;
	return NULL;
}

/* The id at p, which must end at end or at one of stops. */
static int
take_id(const char *p, const char *end, const char *stops, char *id)
{
	size_t n = b64u_run(p, end, RAND_ID_LEN);

	if (n != RAND_ID_LEN || (p + n < end && strchr(stops, p[n]) == NULL))
		return -1;
	memcpy(id, p, n);
	id[n] = '\0';
	return rand_id_valid(id) ? 0 : -1;
}

static int
take_secret(const char *p, const char *end, unsigned char s[32])
{
	size_t n = b64u_run(p, end, RAND_TOKEN_LEN);

	if (n != RAND_TOKEN_LEN || p + n != end)
		return -1;
	return b64u_decode(s, 32, p, n) == 32 ? 0 : -1;
}

int
link_parse(const char *in, size_t len, struct link *out, const char **why)
{
	const char *p = in, *end = in + len, *auth, *path, *seg, *frag;
	size_t slen;

	memset(out, 0, sizeof(*out));
	*why = "not a link or message id";
	if (len > LINK_INPUT_MAX || memchr(in, '\0', len) != NULL)
		FAIL("too long");
	while (p < end && (isspace((unsigned char)*p) || *p == '<'))
		p++;
	while (end > p && (isspace((unsigned char)end[-1]) || end[-1] == '>'))
		end--;
	if (end - p == RAND_ID_LEN) {
		if (take_id(p, end, "", out->id) == -1)
			FAIL("not a message id");
		out->kind = LINK_ID;
		return 0;
	}
	if ((size_t)(end - p) > 8 && strncasecmp(p, "https://", 8) == 0)
		slen = 8;
	else if ((size_t)(end - p) > 7 && strncasecmp(p, "http://", 7) == 0)
		slen = 7;
	else
		FAIL("not an http(s) link or a message id");
	auth = p + slen;
	path = auth;
	while (path < end && *path != '/' && *path != '?' && *path != '#')
		path++;
	if (!authority_ok(auth, (size_t)(path - auth)))
		FAIL("bad host in the link");
	frag = memchr(path, '#', (size_t)(end - path));
	if (frag == NULL)
		frag = end;
	if ((seg = find_segment(path, frag, "/r/")) != NULL) {
		const char *idp = seg + 3, *sp;

		if (take_id(idp, end, "#%", out->id) == -1)
			FAIL("bad message id in the link");
		sp = idp + RAND_ID_LEN;
		if (sp < end && *sp == '#')
			sp++;
		else if (end - sp >= 3 && strncasecmp(sp, "%23", 3) == 0)
			sp += 3;
		else
			FAIL("the link lacks its secret (the part after #)");
		if (take_secret(sp, end, out->s) == -1)
			FAIL("bad secret in the link");
		out->kind = LINK_SECRET;
	} else if ((seg = find_segment(path, frag, "/berichten/")) != NULL) {
		if (take_id(seg + 11, frag, "/?", out->id) == -1)
			FAIL("bad message id in the link");
		out->kind = LINK_ID;
	} else
		FAIL("not a SecureTransfer link (/r/<id>#... or "
		     "/berichten/<id>)");
	for (; path < seg; path++)
		if (!(isalnum((unsigned char)*path) ||
		        strchr("/._~-", *path) != NULL))
			FAIL("bad path in the link");
	if ((size_t)(seg - p) > LINK_BASE_MAX)
		FAIL("too long");
	memcpy(out->base, p, (size_t)(seg - p));
	out->base[seg - p] = '\0';
	return 0;
fail:
	link_clear(out);
	return -1;
}

void
link_clear(struct link *l)
{
	sodium_memzero(l->s, sizeof(l->s));
}
