/*
 * The address book (C1, S8): contacts with a name, an organisation, an
 * e-mail address (email_normalise: the one check used everywhere) and a
 * mobile number (phone_normalise, S10), personal to the account, one per
 * e-mail address.
 */
#ifndef ST_CONTACTS_H
#define ST_CONTACTS_H

#include <stdint.h>

#include "db/contacts_db.h"
#include "domain/book.h"

#define CONTACTS_MAX 5000 /* contacts per account */
#define CONTACT_NAME_MAX 100 /* characters */
#define CONTACT_ORG_MAX 100 /* characters */
#define CONTACT_QUERY_MAX 100 /* bytes of a search */

struct contact_in {
	const char *name, *organisation, *email;
	const char *phone; /* "" for none */
};

/*
 * Checks in and fills out's strings with the normalised values (release
 * out after ST_OK; nothing to release otherwise). allowed: the
 * sms.allowed_prefixes list.
 */
struct st_result contacts_check(
    const char *allowed, const struct contact_in *in, struct contact *out);

/*
 * Adds a contact; out is the stored contact. A second contact with the
 * same e-mail address is ST_CONFLICT "duplicate_email" with the
 * existing contact's id in existing.
 */
struct st_result contacts_create(const struct book_env *env, const char *owner,
    const struct contact_in *in, struct contact *out,
    char existing[RAND_ID_LEN + 1]);
/* Changes contact id; the conflict as for contacts_create. */
struct st_result contacts_update(const struct book_env *env, const char *owner,
    const char *id, const struct contact_in *in, struct contact *out,
    char existing[RAND_ID_LEN + 1]);
struct st_result contacts_get(const struct book_env *env, const char *owner,
    const char *id, struct contact *out);
struct st_result contacts_delete(
    const struct book_env *env, const char *owner, const char *id);

struct contact_query {
	const char *q; /* "" for all; matched case-insensitively */
	enum contact_sort sort;
	int desc;
	int64_t limit, offset;
};

struct st_result contacts_list(const struct book_env *env, const char *owner,
    const struct contact_query *q, contact_fn fn, void *arg, int64_t *total);

#endif
