/*
 * The "log" member of every directory answer that hands out a public key
 * (docs/transparency.md, "What a client checks"):
 *
 *   "log": { "index": n, "leaf": b64u, "proof": [b64u, ...],
 *            "checkpoint": "<signed note>" }
 *
 * the newest leaf of the address whose key hashes are those of the keys
 * in the answer, its inclusion proof and the signed head the proof is
 * for; null when the key has no leaf (a client then refuses the key).
 */
#ifndef ST_API_KT_JSON_H
#define ST_API_KT_JSON_H

#include <jansson.h>

struct kt_log;
struct kt_proof;
struct kt_reader;
struct kt_view;

/*
 * The log member for email's keys (b64u; a NULL key is not matched),
 * against r's head. Never NULL: json null when there is no leaf, both
 * keys are NULL, or the log cannot be read (logged).
 */
json_t *api_kt_log_in(struct kt_reader *r, const char *email,
    const char *x25519_pk, const char *ed25519_pk);

/*
 * The log member of email's newest leaf whatever its keys: what a client
 * compares with its own keys at each login (self-monitoring).
 */
json_t *api_kt_newest_in(struct kt_reader *r, const char *email);

/* The log member of a proof read in domain/ (domain/kt_log.h): json null
 * when there is none. */
json_t *api_kt_log_json(const struct kt_log *l);

/* The same object for a proof against v. */
json_t *api_kt_proof_json(const struct kt_view *v, const struct kt_proof *p);

#endif
