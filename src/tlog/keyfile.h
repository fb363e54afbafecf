/*
 * The log key in server.secrets_dir (docs/transparency.md, "The log
 * key"): log.key holds the signer key text (mode 0600, kept with the
 * server's other secrets and out of database backups), log.pub its
 * verifier key text, the line clients are given. Every node of an
 * installation needs the same log.key.
 */
#ifndef ST_TLOG_KEYFILE_H
#define ST_TLOG_KEYFILE_H

#include "tlog/note.h"

#define TLOG_KEY_FILE "log.key"
#define TLOG_PUB_FILE "log.pub"

/*
 * Loads dir/log.key into s; if there is none, makes a new key named
 * name (and dir, mode 0700) and sets *created. Writes dir/log.pub when it
 * is missing. 0, or -1 (logged): unreadable, malformed, not writable.
 */
int tlog_keyfile_load(
    struct tlog_signer *s, const char *dir, const char *name, int *created);

/*
 * The default key name (and checkpoint origin) of a server whose public
 * URL is url: its host[:port][/path] without the scheme, then "/kt".
 */
void tlog_default_name(const char *url, char out[TLOG_NAME_MAX + 1]);

#endif
