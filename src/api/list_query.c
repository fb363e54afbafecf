/* Query parameters of the lists and the overview; see list_query.h. */
#include "util/common.h"

#include "api/list_query.h"
#include "http/request.h"
#include "util/num.h"
#include "util/tz.h"

static const char *const states[] = { "uploading", "sent", "opened",
	"downloaded", "expired", "revoked" };

static int
b64u_char(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
}

int
listq_like(const char *q, char *out, size_t len)
{
	size_t n = strnlen(q, LISTQ_Q_MAX + 1), i, o = 0;

	if (n > LISTQ_Q_MAX || len < 2 * n + 3)
		return -1;
	out[o++] = '%';
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)q[i];

		if (ch < 0x20 || ch == 0x7f)
			return -1;
		if (ch == '%' || ch == '_' || ch == '\\')
			out[o++] = '\\';
		out[o++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
	}
	out[o++] = '%';
	out[o] = '\0';
	return 0;
}

int
listq_parse_cursor(const char *s, int64_t *at, char id[RAND_ID_LEN + 1])
{
	const char *dot = strchr(s, '.');
	uint64_t v;
	size_t i;

	if (dot == NULL ||
	    num_parse_u64n(s, (size_t)(dot - s), 0, INT64_MAX, &v) == -1 ||
	    strlen(dot + 1) != RAND_ID_LEN)
		return -1;
	for (i = 0; i < RAND_ID_LEN; i++)
		if (!b64u_char(dot[1 + i]))
			return -1;
	*at = (int64_t)v;
	memcpy(id, dot + 1, RAND_ID_LEN + 1);
	return 0;
}

void
listq_cursor(char *out, size_t len, int64_t at, const char *id)
{
	snprintf(out, len, "%" PRId64 ".%s", at, id);
}

static const char *
parse_state(const char *s, char *out, size_t len)
{
	size_t i;

	out[0] = '\0';
	if (s == NULL || *s == '\0')
		return NULL;
	for (i = 0; i < ST_ARRAY_LEN(states); i++)
		if (strcmp(s, states[i]) == 0) {
			snprintf(out, len, "%s", s);
			return NULL;
		}
	return "state: uploading, sent, opened, downloaded, expired or revoked";
}

const char *
listq_parse(struct request *req, int def, int max, struct listq *out)
{
	const char *box = request_query(req, "box");
	const char *lim = request_query(req, "limit");
	const char *before = request_query(req, "before");
	const char *q = request_query(req, "q");
	uint64_t limit = (uint64_t)def;

	memset(out, 0, sizeof(*out));
	if (box == NULL ||
	    (strcmp(box, "sent") != 0 && strcmp(box, "received") != 0))
		return "box: sent or received";
	out->received = strcmp(box, "received") == 0;
	if (lim != NULL && num_parse_u64(lim, 1, (uint64_t)max, &limit) == -1)
		return "limit: 1 to 200";
	out->limit = (int)limit;
	out->before_at = INT64_MAX;
	if (before != NULL && *before != '\0' &&
	    listq_parse_cursor(before, &out->before_at, out->before_id) == -1)
		return "before: a cursor from the previous page's next";
	if (q != NULL && *q != '\0' &&
	    listq_like(q, out->like, sizeof(out->like)) == -1)
		return "q: at most 100 bytes of text";
	return parse_state(
	    request_query(req, "state"), out->state, sizeof(out->state));
}

static int
digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int
listq_date(const char *s, int *y, int *m, int *d)
{
	if (strnlen(s, 11) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	*y = digits(s, 4);
	*m = digits(s + 5, 2);
	*d = digits(s + 8, 2);
	if (*y < 2000 || *y > 9999 || *m < 1 || *m > 12 || *d < 1 ||
	    *d > tz_month_days(*y, *m))
		return -1;
	return 0;
}

const char *
listq_period(struct request *req, int64_t *from, int64_t *to)
{
	const char *f = request_query(req, "from");
	const char *t = request_query(req, "to");
	int y, m, d;

	*from = 0;
	*to = INT64_MAX;
	if (f != NULL && *f != '\0') {
		if (listq_date(f, &y, &m, &d) == -1)
			return "from: a date YYYY-MM-DD";
		*from = tz_utc_of_local(y, m, d, 0, 0, 0);
	}
	if (t != NULL && *t != '\0') {
		if (listq_date(t, &y, &m, &d) == -1)
			return "to: a date YYYY-MM-DD";
		/* The day after to, at midnight: to is inclusive. */
		*to = tz_utc_of_local(y, m, d, 24, 0, 0);
	}
	if (*from >= *to)
		return "from: not after to";
	return NULL;
}
