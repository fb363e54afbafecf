/* Helpers the address book and template handlers share (contacts.c). */
#ifndef ST_API_BOOK_API_H
#define ST_API_BOOK_API_H

#include <jansson.h>
#include <stdint.h>

#include "domain/book.h"
#include "domain/contacts.h"

struct request;

void api_book_env(struct request *req, struct book_env *env);
json_t *api_contact_json(const struct contact *ct);
/* limit (1..max) and offset (0..1000000) from the query string into the
 * defaults given; answers 400 and returns -1 when one is bad. */
int api_page_args(
    struct request *req, int64_t max, int64_t *limit, int64_t *offset);

#endif
