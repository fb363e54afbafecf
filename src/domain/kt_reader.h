/*
 * Reading the key-transparency log for one answer (kt.h): a connection
 * and the head every proof of the answer is made for, read once on first
 * use, so the layers above never hold a database connection themselves.
 * Also the directory's keys (directory.h), read on the same connection as
 * the proof of those keys.
 */
#ifndef ST_KT_READER_H
#define ST_KT_READER_H

#include "domain/kt.h"
#include "domain/user.h"

struct db;

/* Members are kt_reader.c's; callers use the functions. */
struct kt_reader {
	struct db *db; /* NULL: c is the caller's */
	struct db_conn *c;
	struct kt_view v;
	int head; /* 0 not read yet, 1 read, -1 cannot be read */
};

/* A reader on a connection of db's own (kt_reader_close gives it back). */
void kt_reader_open(struct db *db, struct kt_reader *r);
/* A reader on the caller's connection c (kept by the caller). */
void kt_reader_on(struct db_conn *c, struct kt_reader *r);
void kt_reader_close(struct kt_reader *r);

/* The head of this reader (read on first use), or NULL when the log
 * cannot be read. Owned by r. */
const struct kt_view *kt_reader_head(struct kt_reader *r);

/* Moves the head (read, not NULL) into v, which the caller then owns
 * (kt_view_release): for a proof that outlives the reader. */
void kt_reader_take_head(struct kt_reader *r, struct kt_view *v);

/* kt_key_proof against the reader's head: 1, 0 no leaf, -1 error (also
 * when the head cannot be read). */
int kt_reader_key(struct kt_reader *r, const char *email, const char *x25519_pk,
    const char *ed25519_pk, struct kt_proof *out);
/* kt_history, kt_consistency (to <= the head's size) and kt_leaves on
 * the reader's connection. */
int kt_reader_history(struct kt_reader *r, const char *email, int64_t limit,
    kt_proof_fn fn, void *arg);
int kt_reader_consistency(struct kt_reader *r, uint64_t size1, uint64_t size2,
    unsigned char (*out)[TLOG_HASH_LEN], size_t *n);
int kt_reader_leaves(struct kt_reader *r, uint64_t start, uint64_t count,
    kt_db_leaf_fn fn, void *arg);

/* directory_lookup (directory.h) on the reader's connection. */
int kt_reader_directory(struct kt_reader *r, const char *email, struct user *u);

#endif
