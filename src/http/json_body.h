/* Strict JSON body helpers (request_json itself is in request.h). */
#ifndef ST_JSON_BODY_H
#define ST_JSON_BODY_H

#include <stddef.h>

/* 1 when brackets in s nest at most max deep (strings skipped), else 0. */
int json_depth_ok(const char *s, size_t len, int max);

#endif
