/* SQL for the address book (migration 0007); every query names the owner. */
#ifndef ST_CONTACTS_DB_H
#define ST_CONTACTS_DB_H

#include <stdint.h>

#include "db/db.h"
#include "util/rand.h"

struct contact {
	char id[RAND_ID_LEN + 1];
	char *name, *organisation;
	char *email; /* normalised */
	char *phone; /* E.164, or "" for none */
	int64_t created_at, updated_at; /* Unix seconds */
};

/* Frees the strings of a contact the db layer filled in. */
void contact_release(struct contact *ct);

enum contact_sort { CONTACT_BY_NAME, CONTACT_BY_ORG, CONTACT_BY_EMAIL };

typedef void (*contact_fn)(const struct contact *ct, void *arg);

/*
 * Calls fn for the owner's contacts that match like (a LIKE pattern with
 * '\' as escape, on lower-cased name, organisation, e-mail and phone; ""
 * for all), sorted, from offset, at most limit; *total is the number that
 * match. 0, or -1 on a database error.
 */
int contacts_db_list(struct db_conn *c, const char *owner, const char *like,
    enum contact_sort sort, int desc, int64_t limit, int64_t offset,
    contact_fn fn, void *arg, int64_t *total);
/* 1 found (out filled; release it), 0 absent or not the owner's, -1. */
int contacts_db_get(
    struct db_conn *c, const char *owner, const char *id, struct contact *out);
/* The id of the owner's contact with this e-mail: 1 found, 0, -1. */
int contacts_db_find_email(struct db_conn *c, const char *owner,
    const char *email, char id[RAND_ID_LEN + 1]);
/* The owner's number of contacts, or -1. */
int64_t contacts_db_count(struct db_conn *c, const char *owner);
enum db_status contacts_db_insert(
    struct db_conn *c, const char *owner, const struct contact *ct);
/* Updates fields and updated_at of ct->id; *found says if it was there. */
enum db_status contacts_db_update(
    struct db_conn *c, const char *owner, const struct contact *ct, int *found);
/* 1 deleted, 0 absent or not the owner's, -1. */
int contacts_db_delete(struct db_conn *c, const char *owner, const char *id);

#endif
