/*
 * The HTTP Range header (RFC 9110 14.2), the one form resumable downloads
 * use: a single "bytes=" range. Anything else (several ranges, other
 * units, bad syntax) is ignored and the whole object served, as the RFC
 * allows.
 */
#ifndef ST_RANGE_H
#define ST_RANGE_H

#include <stdint.h>

enum range_result {
	RANGE_NONE, /* absent or ignored: answer 200 with everything */
	RANGE_OK, /* answer 206 with *off, *len */
	RANGE_UNSATISFIABLE /* answer 416 */
};

enum range_result http_range_parse(
    const char *h, uint64_t size, uint64_t *off, uint64_t *len);

#endif
