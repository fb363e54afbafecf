/*
 * The login state of the CLI, kept in <dir>/session.json (mode 0600, in a
 * 0700 folder): the server, the account, the session cookie and the CSRF
 * token; and only with `login --save` the account's private keys and the
 * auth key (so a script can unlock and log in again without the
 * password: the file is then as good as the password itself). Without
 * --save, commands that need the keys ask for the password (or read
 * --password-file) and hold the keys in memory for that run only, as the
 * browser's key Worker does.
 */
#ifndef ST_CLI_SESSION_H
#define ST_CLI_SESSION_H

#include "cli/cli.h"

/* The password from --password-file, --password-stdin, or the terminal.
 * NULL (and a message) if none; free with free_secret(p, strlen(p)). */
char *session_password(struct cli *c, const char *email);

/*
 * Logs in: prelogin, the KDF floor, Argon2id, POST /login, the keys
 * unlocked and self-checked. Fills c->keys; save (with_keys: the --save
 * variant) writes session.json. An exit code.
 */
int session_login(
    struct cli *c, const char *email, const char *password, int with_keys);

/*
 * For commands that need a session: loads session.json, checks the
 * session is alive (GET /api/v1/session) and, if not, logs in again with
 * the saved auth key, or the password if one can be had. An exit code.
 */
int session_require(struct cli *c);

/* session_require, and the keys (saved, or unlocked with the password). */
int session_require_keys(struct cli *c);

/* The logged-in user's field ("email", "name", "id", "key_id"), or NULL. */
const char *session_user(const struct cli *c, const char *field);

/* Saves the cookies and token after a change; 0 or -1. */
int session_store(struct cli *c);

/* POST /logout and removes session.json. An exit code. */
int session_logout(struct cli *c);

/* Frees what the run held and wipes the keys. */
void session_end(struct cli *c);

#endif
