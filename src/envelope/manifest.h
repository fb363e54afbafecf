/*
 * The message manifest (docs/format-stf1.md §5): canonical JSON, the
 * Ed25519 sender signature inside it, and the sealed form
 * nonce (12) || AES-256-GCM(MK, nonce, "securetransfer/v1/manifest" ||
 * msg_id, canonical JSON). Manifests are jansson objects; the caller owns
 * them. Failures are STF1_ERR_MANIFEST_INVALID (shape, canonical form),
 * STF1_ERR_MANIFEST_AUTH (does not decrypt), STF1_ERR_SIGNATURE.
 */
#ifndef ST_MANIFEST_H
#define ST_MANIFEST_H

#include <jansson.h>

#include "envelope/stf1.h"

#define MANIFEST_NONCE_LEN 12
#define MANIFEST_MAX (1024 * 1024) /* canonical bytes, SECURITY.md §4 */

/*
 * The canonical bytes of object m (without its top-level "sig" when
 * without_sig), NUL-terminated, in *out (free with free(); NULL on any
 * failure, so a caller may free it either way). Refuses strings
 * with control characters other than \b \f \n \r \t, reals, and integers
 * outside 0..2^53-1.
 */
enum stf1_err manifest_canonical(
    const json_t *m, int without_sig, char **out, size_t *len);
/*
 * The shape of §5: exactly the listed keys, types, formats, msg_id equal
 * to msg_id, files indexed 0..n-1; "sig" required if need_sig.
 */
enum stf1_err manifest_check(
    const json_t *m, const unsigned char msg_id[16], int need_sig);
/* Sets m's "sig" with Ed25519 seed sk (sender.sign_pk must match it). */
enum stf1_err manifest_sign(json_t *m, const unsigned char sk[32]);
/* Verifies m's "sig" against its sender.sign_pk. */
enum stf1_err manifest_verify(const json_t *m);
/*
 * Seals the canonical form of m (checked, signed) under K's MK; nonce NULL
 * means a random one. *out (free with free()) gets 12 + len + 16 bytes.
 */
enum stf1_err manifest_seal(unsigned char **out, size_t *outlen,
    const json_t *m, const unsigned char k[32], const unsigned char msg_id[16],
    const unsigned char *nonce);
/*
 * Opens a sealed manifest: decrypts, parses (duplicate keys refused),
 * requires the bytes to be canonical, checks the shape and the signature.
 * The caller still checks sender.sign_pk against the key it expects.
 */
enum stf1_err manifest_open(json_t **m, const unsigned char *sealed, size_t len,
    const unsigned char k[32], const unsigned char msg_id[16]);

#endif
