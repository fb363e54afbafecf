/*
 * Message templates (T1, S9): a name plus a subject, a reference and an
 * accompanying text, all optional; at most one per account is the
 * default that fills every new message. Personal to the account.
 */
#ifndef ST_TEMPLATES_H
#define ST_TEMPLATES_H

#include "db/templates_db.h"
#include "domain/book.h"

#define TEMPLATES_MAX 100 /* per account */
#define TEMPLATE_NAME_MAX 100 /* characters, as every limit here */
#define TEMPLATE_SUBJECT_MAX 200 /* as a message's subject */
#define TEMPLATE_REFERENCE_MAX 100
#define TEMPLATE_TEXT_MAX 10000

struct template_in {
	const char *name, *subject, *reference, *text;
	int is_default;
};

/* Adds a template (ST_CONFLICT "duplicate_name" when the name is taken);
 * out is the stored one. Making it the default unmakes the old one. */
struct st_result templates_create(const struct book_env *env, const char *owner,
    const struct template_in *in, struct template_row *out);
struct st_result templates_update(const struct book_env *env, const char *owner,
    const char *id, const struct template_in *in, struct template_row *out);
struct st_result templates_get(const struct book_env *env, const char *owner,
    const char *id, struct template_row *out);
struct st_result templates_delete(
    const struct book_env *env, const char *owner, const char *id);
struct st_result templates_list(const struct book_env *env, const char *owner,
    int64_t limit, int64_t offset, template_fn fn, void *arg, int64_t *total);

#endif
