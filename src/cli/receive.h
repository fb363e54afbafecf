/* What receive's two halves share (cmd_receive.c, recvdocs.c). */
#ifndef ST_CLI_RECEIVE_H
#define ST_CLI_RECEIVE_H

#include <jansson.h>

#include "cli/cli.h"
#include "util/rand.h"

struct recv_opts {
	const char *target; /* the link or id */
	const char *out; /* DIR */
	const char *code;
	int send_code;
	int force;
};

struct recv_msg {
	unsigned char id[16];
	char id_text[RAND_ID_LEN + 1];
	unsigned char k[32]; /* the message key; wiped by the caller */
	json_t *doc; /* the server's message document */
	char files_path[96]; /* "/api/v1/.../files/" */
	char want_rcpt_kid[RAND_ID_LEN + 1]; /* "link", ours, or "" */
};

/*
 * Opens and checks the manifest against the server's document, then
 * downloads and decrypts every document into o->out and prints what was
 * saved. An exit code.
 */
int recv_documents(
    struct cli *c, const struct recv_opts *o, const struct recv_msg *m);

#endif
