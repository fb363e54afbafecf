/*
 * Stanzas: the ways to open a message key K (docs/format-stf1.md §4).
 *   X25519 recipient stanza, 80 bytes: eph_pk (32) || AES-GCM body (48)
 *   link stanza, 48 bytes: AES-GCM(LWK, 0^96, msg_id || "link", K)
 * Keys are raw 32-byte X25519 keys. Returns STF1_OK or an stf1_err code:
 * STF1_ERR_ZERO_SHARED_SECRET for a low-order point, STF1_ERR_STANZA_AUTH
 * for a stanza that does not open, STF1_ERR_CRYPTO if libcrypto failed.
 */
#ifndef ST_STANZA_H
#define ST_STANZA_H

#include "envelope/stf1.h"

#define STANZA_X25519_LEN 80
#define STANZA_LINK_LEN 48
#define STANZA_KEY_LEN 32
#define STANZA_LINK_SECRET_LEN 60

/* pk = X25519 public key of secret key sk; 0 or -1. */
int stanza_x25519_public(unsigned char pk[32], const unsigned char sk[32]);

/* Wraps k to recipient pk_r with a fresh ephemeral key. */
enum stf1_err stanza_x25519_wrap(unsigned char out[STANZA_X25519_LEN],
    const unsigned char k[32], const unsigned char msg_id[16],
    const unsigned char pk_r[32]);
/* The same with a given ephemeral secret key: for test vectors only. */
enum stf1_err stanza_x25519_wrap_eph(unsigned char out[STANZA_X25519_LEN],
    const unsigned char k[32], const unsigned char msg_id[16],
    const unsigned char pk_r[32], const unsigned char eph_sk[32]);
/* Opens a stanza with the recipient's secret key sk_r into k. */
enum stf1_err stanza_x25519_unwrap(unsigned char k[32],
    const unsigned char st[STANZA_X25519_LEN], const unsigned char msg_id[16],
    const unsigned char sk_r[32]);

/* Wraps k under LWK = HKDF(s || r_srv, msg_id, "securetransfer/v1/link-wrap"). */
enum stf1_err stanza_link_wrap(unsigned char out[STANZA_LINK_LEN],
    const unsigned char k[32], const unsigned char msg_id[16],
    const unsigned char s[32], const unsigned char r_srv[32]);
enum stf1_err stanza_link_unwrap(unsigned char k[32],
    const unsigned char st[STANZA_LINK_LEN], const unsigned char msg_id[16],
    const unsigned char s[32], const unsigned char r_srv[32]);

/*
 * Strict delivery: the sender's own copy of the link secret s, sealed
 * under LSK = HKDF(k, msg_id, "securetransfer/v1/link-secret") as
 *   nonce (12 random) || AES-GCM(LSK, nonce,
 *                       aad = "securetransfer/v1/link-secret" || msg_id, s)
 * so whoever holds K (the sender, through the self-stanza) can show the
 * link again and the server cannot.
 */
enum stf1_err stanza_link_secret_seal(unsigned char out[STANZA_LINK_SECRET_LEN],
    const unsigned char s[32], const unsigned char k[32],
    const unsigned char msg_id[16]);
enum stf1_err stanza_link_secret_open(unsigned char s[32],
    const unsigned char sealed[STANZA_LINK_SECRET_LEN],
    const unsigned char k[32], const unsigned char msg_id[16]);

#endif
