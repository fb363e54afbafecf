/*
 * Strict checks of JSON request bodies against a list of fields: no
 * unknown fields, the right types, lengths within bounds. On a failure
 * the request is answered 400 with code "bad_field" and a message naming
 * the field, and -1 is returned.
 */
#ifndef ST_INPUT_H
#define ST_INPUT_H

#include <jansson.h>
#include <stddef.h>

struct request;

enum field_type { F_STR, F_INT, F_BOOL, F_OBJ, F_ARR };

struct field {
	const char *name;
	enum field_type type;
	int required;
	size_t min, max; /* bytes for F_STR, value for F_INT, F_ARR items */
};

int input_check(
    struct request *req, json_t *doc, const struct field *f, size_t n);
/*
 * Checks that arr is a list of at most max items, each an object that
 * passes input_check(f, n). name names the list in the answer:
 * "NAME: expected a list" or "NAME: expected objects".
 */
int input_array(struct request *req, json_t *arr, const char *name, size_t max,
    const struct field *f, size_t n);
/* The string field, or "" when absent. */
const char *input_str(json_t *doc, const char *name);
json_int_t input_int(json_t *doc, const char *name);
/* Decodes base64url field name into exactly len bytes, or answers 400. */
int input_b64(struct request *req, json_t *doc, const char *name,
    unsigned char *out, size_t len);
/* Checks a base64url field decodes to min..max bytes, or answers 400. */
int input_b64_len(
    struct request *req, json_t *doc, const char *name, size_t min, size_t max);

#endif
