/*
 * The proof a directory answer carries with each public key it hands out
 * (docs/transparency.md, "What a client checks"): the newest leaf of the
 * address whose key hashes are those of the keys in the answer, its
 * inclusion proof, and the signed head the proof is for. api/kt_json.h
 * writes it as the answer's "log" member.
 */
#ifndef ST_KT_LOG_H
#define ST_KT_LOG_H

#include "domain/kt.h"

struct db;
struct db_conn;

struct kt_log {
	int found; /* 1: v and p hold the proof; 0: none (json null) */
	struct kt_view v;
	struct kt_proof *p; /* owned */
};

/*
 * The proof for email's keys (b64u; a NULL key is not compared; both
 * NULL: no proof), read on c against a head read now. A log that cannot
 * be read is logged and gives no proof: a client then refuses the key.
 */
void kt_log_read(struct db_conn *c, const char *email, const char *x25519_pk,
    const char *ed25519_pk, struct kt_log *out);
/* The proof of email's newest leaf whatever its keys (self-monitoring). */
void kt_log_newest(struct db_conn *c, const char *email, struct kt_log *out);
/* kt_log_read on a connection taken from db. */
void kt_log_get(struct db *db, const char *email, const char *x25519_pk,
    const char *ed25519_pk, struct kt_log *out);
void kt_log_release(struct kt_log *l);

#endif
