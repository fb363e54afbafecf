/* Strict JSON body fields; see input.h. */
#include "util/common.h"

#include "api/input.h"
#include "http/request.h"

static int
bad(struct request *req, const char *field, const char *why)
{
	char msg[160];

	snprintf(msg, sizeof(msg), "%s: %s", field, why);
	reply_error(req, 400, "bad_field", msg);
	return -1;
}

int
input_check(struct request *req, json_t *doc, const struct field *f, size_t n)
{
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach(doc, key, v)
	{
		for (i = 0; i < n; i++)
			if (strcmp(f[i].name, key) == 0)
				break;
		if (i == n)
			return bad(req, "body", "unknown field");
	}
	for (i = 0; i < n; i++) {
		v = json_object_get(doc, f[i].name);
		if (v == NULL) {
			if (f[i].required)
				return bad(req, f[i].name, "required");
			continue;
		}
		switch (f[i].type) {
		case F_STR:
			if (!json_is_string(v))
				return bad(req, f[i].name, "expected a string");
			if (json_string_length(v) < f[i].min ||
			    json_string_length(v) > f[i].max)
				return bad(req, f[i].name, "wrong length");
			break;
		case F_INT:
			if (!json_is_integer(v) || json_integer_value(v) < 0 ||
			    (size_t)json_integer_value(v) < f[i].min ||
			    (size_t)json_integer_value(v) > f[i].max)
				return bad(req, f[i].name, "out of range");
			break;
		case F_BOOL:
			if (!json_is_boolean(v))
				return bad(req, f[i].name,
				    "expected true or "
				    "false");
			break;
		case F_OBJ:
			if (!json_is_object(v))
				return bad(
				    req, f[i].name, "expected an object");
			break;
		case F_ARR:
			if (!json_is_array(v))
				return bad(req, f[i].name, "expected a list");
			if (json_array_size(v) < f[i].min ||
			    json_array_size(v) > f[i].max)
				return bad(req, f[i].name, "wrong length");
			break;
		}
	}
	return 0;
}

int
input_array(struct request *req, json_t *arr, const char *name, size_t max,
    const struct field *f, size_t n)
{
	json_t *one;
	size_t i;

	if (!json_is_array(arr) || json_array_size(arr) > max)
		return bad(req, name, "expected a list");
	json_array_foreach(arr, i, one)
	{
		if (!json_is_object(one))
			return bad(req, name, "expected objects");
		if (input_check(req, one, f, n) == -1)
			return -1;
	}
	return 0;
}

const char *
input_str(json_t *doc, const char *name)
{
	const char *s = json_string_value(json_object_get(doc, name));

	return s != NULL ? s : "";
}

json_int_t
input_int(json_t *doc, const char *name)
{
	return json_integer_value(json_object_get(doc, name));
}

int
input_b64(struct request *req, json_t *doc, const char *name,
    unsigned char *out, size_t len)
{
	const char *s = input_str(doc, name);

	if (b64u_decode(out, len, s, strlen(s)) != (long)len)
		return bad(req, name, "expected base64url of the right size");
	return 0;
}

int
input_b64_len(
    struct request *req, json_t *doc, const char *name, size_t min, size_t max)
{
	const char *s = input_str(doc, name);
	unsigned char *tmp = xmalloc(max + 1);
	long n = b64u_decode(tmp, max + 1, s, strlen(s));

	free(tmp);
	if (n < (long)min || n > (long)max)
		return bad(req, name, "expected base64url of the right size");
	return 0;
}
