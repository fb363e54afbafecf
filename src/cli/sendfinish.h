/*
 * The end of a send (S7): the signed and sealed manifest, the recipient's
 * stanza or the link gate, and POST /api/v1/messages/{id}/send — what
 * web/src/account/worker/messages.js (msgFinish) does in the browser.
 */
#ifndef ST_CLI_SENDFINISH_H
#define ST_CLI_SENDFINISH_H

#include <jansson.h>

#include "cli/cli.h"
#include "cli/sendstate.h"

struct send_rcpt {
	int link; /* 1: link flow (r_srv), 0: an account (x_pk, key_id) */
	char *email; /* as the server has it */
	char key_id[RAND_ID_LEN + 1];
	unsigned char x_pk[32];
	unsigned char r_srv[32];
	/* Strict delivery (SECURITY.md 1.6): the server keeps only a sealed
	 * copy of S and the sender delivers the link; link_url is the
	 * recipient's page /r/<id> the server names (owned). */
	int strict;
	char *link_url;
};

/*
 * Reads a recipient from a POST /messages or GET /messages/{id} answer
 * (recipient, r_srv); the account key must match the key id the server
 * names and pass the key gate (client/pins.h: pinned, or pinned now on
 * first use; a changed key is CLI_KEY_CHANGED). An exit code.
 */
int send_rcpt_read(struct cli *c, struct send_rcpt *r, const json_t *answer);
void send_rcpt_release(struct send_rcpt *r);

/* Signs, seals and sends; text is the accompanying text (NFC). An exit
 * code; on success the message is sent and, for strict delivery, *link
 * holds the link with S for the sender to deliver (the caller frees it
 * with free_secret(*link, strlen(*link))); otherwise *link is NULL. */
int send_finish(struct cli *c, const struct send_state *st,
    const unsigned char k[32], const unsigned char msg_id[16],
    const struct send_rcpt *r, const char *text, char **link);

/* The manifest's mime type from the extension (web/src/lib/mime.js). */
const char *send_mime(const char *name);

#endif
