/*
 * SQL of the key-transparency log (migration 0015, docs/transparency.md):
 * leaves, stored subtree hashes and the one head row. Hashes are b64u
 * text (KT_DB_HASH_LEN characters). Rows are inserted, never updated or
 * deleted, except the head row, which each append moves forward.
 */
#ifndef ST_KT_DB_H
#define ST_KT_DB_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define KT_DB_HASH_LEN 43 /* b64u of 32 bytes */
#define KT_DB_LEAF_LEN 160 /* b64u of 120 bytes */

struct kt_head_row {
	int64_t size;
	char root[KT_DB_HASH_LEN + 1];
	char *checkpoint; /* owned; kt_head_row_release */
};
void kt_head_row_release(struct kt_head_row *h);

/* The head: 1 (h filled), 0 when there is none yet, -1 on error. */
int kt_db_head(struct db_conn *c, struct kt_head_row *h);

/*
 * Takes the log's lock for the caller's transaction: a no-op UPDATE of the
 * head row, which PostgreSQL holds until commit (SQLite's write
 * transaction is exclusive anyway). Statements after it see every append
 * committed before. DB_OK also when there is no head row yet.
 */
enum db_status kt_db_lock(struct db_conn *c);

/* The first head (size 0); DB_CONSTRAINT if one exists. */
enum db_status kt_db_head_insert(
    struct db_conn *c, const char *root, const char *checkpoint, int64_t now);
/* Moves the head from old_size to size; DB_CONSTRAINT if the head is no
 * longer at old_size (someone else appended without the lock). */
enum db_status kt_db_head_move(struct db_conn *c, int64_t old_size,
    int64_t size, const char *root, const char *checkpoint, int64_t now);

enum db_status kt_db_leaf_add(struct db_conn *c, int64_t idx,
    const char *addr_hash, const char *leaf, int64_t now);
enum db_status kt_db_node_add(struct db_conn *c, int64_t id, const char *hash);

/*
 * The hashes of the n nodes ids (in any order, duplicates allowed) into
 * out[i]: 0, or -1 if one is missing (a damaged log) or on error.
 */
int kt_db_nodes(struct db_conn *c, const int64_t *ids, size_t n,
    char (*out)[KT_DB_HASH_LEN + 1]);

/* The leaf idx as b64u: 1, 0 if there is none, -1 on error. */
int kt_db_leaf(struct db_conn *c, int64_t idx, char out[KT_DB_LEAF_LEN + 1]);

typedef int (*kt_db_leaf_fn)(int64_t idx, const char *leaf, void *arg);
/*
 * Calls fn for the leaves of addr_hash with idx < below, newest first, at
 * most limit of them; fn returns 0 to go on, 1 to stop. 0, or -1.
 */
int kt_db_leaves_of(struct db_conn *c, const char *addr_hash, int64_t below,
    int64_t limit, kt_db_leaf_fn fn, void *arg);
/* Calls fn for leaves start .. start + count - 1 in order. 0 or -1. */
int kt_db_leaves_range(struct db_conn *c, int64_t start, int64_t count,
    kt_db_leaf_fn fn, void *arg);

/*
 * Calls fn for every published key pair there was before the log began:
 * each verified account's keys, each version of each mailbox's keys
 * (oldest first). email, x25519_pk and ed25519_pk are b64u; fn returns 0
 * to go on. 0 or -1.
 */
typedef int (*kt_db_key_fn)(const char *email, const char *x25519_pk,
    const char *ed25519_pk, void *arg);
int kt_db_existing_keys(struct db_conn *c, kt_db_key_fn fn, void *arg);

#endif
