/*
 * Strict JSON request bodies. jansson already refuses duplicate keys (with
 * the flag), NUL inside strings, invalid UTF-8 and numbers that overflow;
 * the depth limit is checked first by a scan that never recurses, so a
 * body of 100,000 '[' costs one pass and no stack.
 */
#include "util/common.h"

#include "http/request.h"
#include "http/json_body.h"

#define JSON_MAX_DEPTH 32

int
json_depth_ok(const char *s, size_t len, int max)
{
	int depth = 0, in_str = 0, esc = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (in_str) {
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"')
				in_str = 0;
			continue;
		}
		if (c == '"')
			in_str = 1;
		else if (c == '[' || c == '{') {
			if (++depth > max)
				return 0;
		} else if (c == ']' || c == '}')
			depth--;
	}
	return 1;
}

json_t *
request_json(struct request *req)
{
	json_error_t err;
	json_t *doc;

	if (!json_depth_ok(
	        buf_str(&req->body), req->body.len, JSON_MAX_DEPTH)) {
		reply_error(req, 400, "bad_json", "JSON nested too deeply");
		return NULL;
	}
	doc = json_loadb(
	    buf_str(&req->body), req->body.len, JSON_REJECT_DUPLICATES, &err);
	if (doc == NULL) {
		reply_error(req, 400, "bad_json", "The body is not valid JSON");
		return NULL;
	}
	if (!json_is_object(doc)) {
		json_decref(doc);
		reply_error(req, 400, "bad_json", "Expected a JSON object");
		return NULL;
	}
	return doc;
}
