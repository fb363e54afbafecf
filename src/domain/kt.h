/*
 * The key-transparency log (SECURITY.md §1.8 tier 2, docs/transparency.md):
 * every publication or change of an address's public keys is appended as
 * a leaf in the same transaction as the change, and each append signs a
 * new tree head with the log key (server.secrets_dir/log.key). Directory
 * answers carry the inclusion proof of the leaf of the keys they hand
 * out; clients verify it, and consistency between the heads they see.
 *
 * The server never signs a head that does not extend the signed head in
 * the database: an append first checks that head's signature and that the
 * stored tree still folds to its root, so a database writer without the
 * log key can neither add a leaf that gets signed nor make the server
 * fork its own history.
 */
#ifndef ST_KT_H
#define ST_KT_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "db/kt_db.h"
#include "tlog/leaf.h"
#include "tlog/merkle.h"
#include "tlog/note.h"

/*
 * At the start of serve: makes the signed head of the empty log if there
 * is none; refuses (-1, logged) a head that log did not sign or whose tree
 * is damaged; and, once, when the log is still empty, logs the keys that
 * existed before it (TLOG_EV_EXISTING) in one transaction.
 */
int kt_start(struct db *db, const struct tlog_signer *log);

/*
 * Appends the leaf of email's keys (b64u raw public keys) in the caller's
 * write transaction and moves the signed head. -1 (logged) on any error:
 * the caller rolls back, so no key change is ever committed without its
 * leaf.
 */
int kt_publish(struct db_conn *c, const struct tlog_signer *log,
    const char *email, enum tlog_event ev, const char *x25519_pk,
    const char *ed25519_pk);

/*
 * kt_publish of the keys the users row uid holds now (an account or a
 * mailbox), for the hooks where a key change commits: call it after the
 * row's change, in the same transaction. log NULL (a command that cannot
 * sign) refuses the change. 0 or -1 (logged).
 */
int kt_publish_user(struct db_conn *c, const struct tlog_signer *log,
    const char *uid, enum tlog_event ev);

/* One new leaf for kt_append: an address and its two raw public keys. */
struct kt_entry {
	const char *email;
	enum tlog_event ev;
	unsigned char x25519[32], ed25519[32];
};
/* Appends n entries and signs one head for all (the caller's
 * transaction). kt_publish is this with one; the start and the benchmark
 * use more. 0 or -1. */
int kt_append(struct db_conn *c, const struct tlog_signer *log,
    const struct kt_entry *e, size_t n, int64_t now);

/* The head a request answers against: all proofs of one answer are made
 * for this size, whatever is appended meanwhile. */
struct kt_view {
	uint64_t size;
	char *checkpoint; /* the signed note; owned */
};
/* 0, or -1 (no head yet, or an error). */
int kt_view_get(struct db_conn *c, struct kt_view *v);
void kt_view_release(struct kt_view *v);

struct kt_proof {
	uint64_t index;
	char leaf[KT_DB_LEAF_LEN + 1]; /* b64u */
	size_t n;
	unsigned char hash[TLOG_MAX_PROOF][TLOG_HASH_LEN];
};

/*
 * The newest leaf of email in the tree of v whose keys hash to the given
 * b64u public keys (a NULL key is not compared) and its inclusion proof
 * for v->size: 1, 0 when there is none (a key without a leaf: clients
 * refuse it), -1 on error.
 */
int kt_key_proof(struct db_conn *c, const struct kt_view *v, const char *email,
    const char *x25519_pk, const char *ed25519_pk, struct kt_proof *out);

/* Calls fn for the newest leaves of email in v (at most limit), newest
 * first, each with its proof; fn returns 0 to go on. 0 or -1. */
typedef int (*kt_proof_fn)(const struct kt_proof *p, void *arg);
int kt_history(struct db_conn *c, const struct kt_view *v, const char *email,
    int64_t limit, kt_proof_fn fn, void *arg);

/*
 * The consistency proof from size1 to size2 (<= the head's size) into
 * out (TLOG_MAX_PROOF hashes) and *n. 0, or -1 (bad sizes, a damaged
 * tree, an error).
 */
int kt_consistency(struct db_conn *c, uint64_t size1, uint64_t size2,
    unsigned char (*out)[TLOG_HASH_LEN], size_t *n);

/* The root of the tree of the first size leaves (<= the head's), from the
 * stored nodes: what a client holds from an earlier head. 0 or -1. */
int kt_root_at(
    struct db_conn *c, uint64_t size, unsigned char out[TLOG_HASH_LEN]);

/* Calls fn for leaves start .. start + count - 1 (b64u). 0 or -1. */
int kt_leaves(struct db_conn *c, uint64_t start, uint64_t count,
    kt_db_leaf_fn fn, void *arg);

#endif
