/* SQL for message templates (migration 0007); every query names the owner. */
#ifndef ST_TEMPLATES_DB_H
#define ST_TEMPLATES_DB_H

#include <stdint.h>

#include "db/db.h"
#include "util/rand.h"

struct template_row {
	char id[RAND_ID_LEN + 1];
	char *name, *subject, *reference;
	char *body; /* the accompanying text */
	int is_default;
	int64_t created_at, updated_at;
};

void template_row_release(struct template_row *t);

typedef void (*template_fn)(const struct template_row *t, void *arg);

/* The owner's templates by name from offset, at most limit; *total all. */
int templates_db_list(struct db_conn *c, const char *owner, int64_t limit,
    int64_t offset, template_fn fn, void *arg, int64_t *total);
/* 1 found (release out), 0 absent or not the owner's, -1. */
int templates_db_get(struct db_conn *c, const char *owner, const char *id,
    struct template_row *out);
int64_t templates_db_count(struct db_conn *c, const char *owner);
enum db_status templates_db_insert(
    struct db_conn *c, const char *owner, const struct template_row *t);
enum db_status templates_db_update(struct db_conn *c, const char *owner,
    const struct template_row *t, int *found);
int templates_db_delete(struct db_conn *c, const char *owner, const char *id);
/* Makes every template of the owner but keep_id not the default. */
enum db_status templates_db_clear_default(
    struct db_conn *c, const char *owner, const char *keep_id);

#endif
