/*
 * How the commands use the key gate of client/pins.h (SECURITY.md 1.8),
 * after the key-transparency check of cli/kt.h (tier 2): the pin file
 * <dir>/pins.json, the refusal of a changed key (the old
 * and the new six words, what to do, exit CLI_KEY_CHANGED) and the
 * `keys` command that lists pins and accepts a new key once the words
 * were compared.
 */
#ifndef ST_CLI_TRUST_H
#define ST_CLI_TRUST_H

#include <jansson.h>

#include "cli/cli.h"
#include "client/pins.h"

/*
 * THE key gate of the CLI: passes one served key (a GET /api/v1/keys
 * answer, a POST /messages "recipient", a message's "sender") first
 * through the key-transparency log (cli_kt_served: its entry, proof and
 * head) and then through pins_check. name: who, for the message (may be
 * NULL). CLI_OK when it may be used (logged, and new, same, or no key and
 * none pinned); CLI_INTEGRITY for a key without a valid log entry or an
 * inconsistent log (also on first contact: the pins are not consulted) and
 * for an answer that contradicts itself; CLI_KEY_CHANGED with the
 * explanation on stderr for a logged key that is not the pinned one, or a
 * removed key; CLI_USAGE without a log key; CLI_NETWORK when a
 * consistency proof cannot be fetched; CLI_LOCAL when the pin or head file
 * cannot be read or written.
 */
int trust_served(struct cli *c, const json_t *served, enum pins_purpose purpose,
    const char *name);

/* GET /api/v1/keys?email=ADDR into *served (json_decref it). An exit code. */
int trust_lookup(struct cli *c, const char *email, json_t **served);

/*
 * Self-monitoring after the keys were unlocked: the directory's answer for
 * the account's own address must be c->keys. CLI_OK or CLI_KEY_CHANGED.
 * The log's side (cli_kt_self) runs first; session.c calls both.
 */
int trust_self(struct cli *c, const char *email);

/* pins.json in the settings folder, loaded (pins_free it); NULL after
 * saying why. *path_out (may be NULL) gets the path, to free. */
struct pins *trust_open_pins(const struct cli *c, char **path_out);
/* " (since 2026-11-23 13:42)" from a pin's "since", or "". */
void trust_since_text(char *out, size_t len, const json_t *pin);

#endif
