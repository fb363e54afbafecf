/*
 * The exit codes of securetransfer (docs/securetransfer.1). A header of
 * its own so that http.c can map an answer to one without depending on
 * the commands' shared helpers (cli.h).
 */
#ifndef ST_CLI_EXIT_H
#define ST_CLI_EXIT_H

enum cli_exit {
	CLI_OK = 0,
	CLI_LOCAL = 1, /* a local problem: file unreadable, exists, disk */
	CLI_USAGE = 2, /* bad command line or configuration */
	CLI_AUTH = 3, /* not logged in, wrong password or SMS code, locked */
	CLI_REFUSED = 4, /* the server said no (4xx) */
	CLI_NETWORK = 5, /* no connection, timeouts, 5xx */
	CLI_INTEGRITY = 6, /* ciphertext, manifest or keys do not verify */
	CLI_KEY_CHANGED = 7, /* a pinned key changed (pins.h): not used */
};

#endif
