/* The Range header; see range.h. */
#include "util/common.h"

#include "http/range.h"

#define DIGITS_MAX 19 /* fits in uint64_t without overflow */

/* Reads 1 to 19 digits at *p; -1 when there are none or too many. */
static int
number(const char **p, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;
	int n = 0;

	while (*s >= '0' && *s <= '9') {
		if (++n > DIGITS_MAX)
			return -1;
		v = v * 10 + (uint64_t)(*s++ - '0');
	}
	if (n == 0)
		return -1;
	*p = s;
	*out = v;
	return 0;
}

enum range_result
http_range_parse(const char *h, uint64_t size, uint64_t *off, uint64_t *len)
{
	uint64_t first, last;
	const char *p;

	if (h == NULL || strncmp(h, "bytes=", 6) != 0)
		return RANGE_NONE;
	p = h + 6;
	if (*p == '-') { /* the last n bytes */
		p++;
		if (number(&p, &last) == -1 || *p != '\0')
			return RANGE_NONE;
		if (last == 0 || size == 0)
			return RANGE_UNSATISFIABLE;
		*len = last < size ? last : size;
		*off = size - *len;
		return RANGE_OK;
	}
	if (number(&p, &first) == -1 || *p++ != '-')
		return RANGE_NONE;
	if (*p == '\0')
		last = UINT64_MAX;
	else if (number(&p, &last) == -1 || *p != '\0' || last < first)
		return RANGE_NONE;
	if (first >= size)
		return RANGE_UNSATISFIABLE;
	if (last >= size)
		last = size - 1;
	*off = first;
	*len = last - first + 1;
	return RANGE_OK;
}
