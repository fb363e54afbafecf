/*
 * The server's own secrets, kept in files outside the database
 * (server.secrets_dir, mode 0700, files 0600) and made on first start:
 *   pepper      HMAC key over auth keys before Argon2id (ASVS 2.4.5)
 *   server.key  HMAC key for fake pre-login salts and token hashes
 *   outbox.key  secretbox key for outbox payloads (SECURITY.md W1)
 * A database thief without these cannot test passwords or read the outbox.
 * The key-transparency log's signing key (log.key, tlog/keyfile.h) is
 * loaded by serve on its own and hangs off log.
 */
#ifndef ST_SECRETS_H
#define ST_SECRETS_H

#include <stddef.h>

#define SECRET_LEN 32

struct tlog_signer;

struct secrets {
	unsigned char pepper[SECRET_LEN];
	unsigned char server_key[SECRET_LEN];
	unsigned char outbox_key[SECRET_LEN];
	/* The log key (serve owns and wipes it); NULL where nothing is
	 * published (admin commands, tests of other parts). */
	const struct tlog_signer *log;
};

/* Loads or creates the three files in dir; -1 (logged) on failure. */
int secrets_load(struct secrets *s, const char *dir);
void secrets_wipe(struct secrets *s);

#define SECRETS_HASH_LEN 43 /* b64u of an HMAC-SHA-256 */
/*
 * HMAC-SHA-256 under the server key of label, NUL, in: how the server
 * stores what it must recognise but never learn back (session tokens,
 * mail tokens, SMS codes, capabilities). A database copy alone cannot
 * test guesses against it.
 */
void secrets_keyed_hash(const struct secrets *sec, const char *label,
    const char *in, char out[SECRETS_HASH_LEN + 1]);

#endif
