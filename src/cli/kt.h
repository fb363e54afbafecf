/*
 * The key-transparency log in the CLI (docs/transparency.md, "What a
 * client checks"): the log key from the settings ([log] key in
 * config.ini, or SECURETRANSFER_LOG_KEY), the newest head this CLI has
 * seen (<dir>/log-<key hash>.head, the signed note), and the checks every
 * served key passes before it is used. Every failure prints why on stderr
 * and returns CLI_INTEGRITY (6): nothing is encrypted to such a key and no
 * signature by it is trusted.
 */
#ifndef ST_CLI_KT_H
#define ST_CLI_KT_H

#include <jansson.h>

#include "cli/cli.h"
#include "tlog/note.h"

/* The configured log key; CLI_USAGE (with a message) when there is none
 * or it is malformed. */
int cli_kt_verifier(struct cli *c, struct tlog_verifier *v);

/*
 * Checks the signed head note (already opened into cp) against the head
 * stored in path: the same size needs the same root (else a split view),
 * a newer or older one a valid consistency proof from the server. Stores
 * cp when it is newer. CLI_OK, CLI_INTEGRITY, CLI_NETWORK, CLI_LOCAL.
 */
int cli_kt_observe(struct cli *c, const struct tlog_verifier *v,
    const struct tlog_checkpoint *cp, const char *note, size_t len,
    const char *path);

/* GET the consistency proof from a to b (a->size < b->size) and check it
 * against their roots. CLI_OK, CLI_INTEGRITY (printed), CLI_NETWORK. */
int cli_kt_consistent(struct cli *c, const struct tlog_checkpoint *a,
    const struct tlog_checkpoint *b);

/* The head file for v in the settings folder (caller frees). */
char *cli_kt_head_path(const struct cli *c, const struct tlog_verifier *v);

/*
 * The log check of a served key (an object with email, x25519_pk and/or
 * ed25519_pk, key_id if any, and log; a POST /messages "recipient", a
 * message's "sender", a directory answer): its entry (of the address, of
 * every key the answer serves, and of its key id), proof and head. CLI_OK
 * or an exit code, with the message printed. who: for the message.
 * Called by the one key gate, trust_served (cli/trust.h), before the pins.
 */
int cli_kt_served(struct cli *c, const json_t *served, const char *who);

/*
 * Self-monitoring after the keys were unlocked: keys_log is the login's
 * keys.log, the newest entry of the account's address; it must be of
 * c->keys, and no entry of the address (GET /api/v1/log/history) may be
 * newer. CLI_OK or CLI_INTEGRITY.
 */
int cli_kt_self(struct cli *c, const char *email, const json_t *keys_log);

#endif
