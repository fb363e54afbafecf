/* What send and send --resume share (send.c; used by cmd_send.c and
 * sendresume.c). */
#ifndef ST_CLI_SEND_H
#define ST_CLI_SEND_H

#include <jansson.h>
#include <stdint.h>

#include "cli/cli.h"
#include "cli/sendfinish.h"
#include "cli/sendstate.h"

/* "" or an NFC copy of s (the caller frees it); NULL if s is not valid
 * UTF-8. */
char *send_nfc_or_empty(const char *s);
/* The accompanying text from path (NFC, at most 10,000 characters), or ""
 * for NULL, into *out. An exit code. */
int send_read_text(const char *path, char **out);
/* <dir>/sends/<id>.json. */
char *send_state_path(const struct cli *c, const char *id);
/* The tus PATCH size of a POST /messages or GET /messages/{id} answer. */
uint64_t send_chunk_of(const json_t *answer);
/* Uploads what is left, finishes, removes the resume record and prints
 * the id and report URL. An exit code. */
int send_complete(struct cli *c, struct send_state *st,
    const unsigned char k[32], const struct send_rcpt *r, uint64_t chunk,
    const char *text);
/*
 * Makes the message of st (its Idempotency-Key: the one made before, if
 * an earlier attempt made it), moves the record to the message's id, and
 * uploads and sends as send_complete. An exit code.
 */
int send_start(struct cli *c, struct send_state *st, const char *text);
/* send --resume [id]. */

#endif
