/*
 * Uploads one file's STF1 ciphertext with tus 1.0 (creation, HEAD, PATCH
 * at Upload-Offset), encrypting as it reads: each PATCH re-encrypts from
 * the record holding its first byte, so any offset the server reports
 * (also mid-record, also after a crash) gets the same bytes again. Memory
 * stays a few hundred KiB whatever the size. Network failures, 5xx and
 * 409 are retried with backoff; the server's offset comes from HEAD.
 */
#ifndef ST_CLI_TUS_H
#define ST_CLI_TUS_H

#include "cli/cli.h"
#include "cli/progress.h"
#include "cli/sendstate.h"

struct tus_job {
	struct cli *c;
	struct send_state *st; /* saved before every PATCH */
	struct send_file *f;
	const unsigned char *k; /* the message key */
	unsigned char msg_id[16];
	uint32_t index;
	uint64_t chunk; /* PATCH size, from the server */
	struct progress *prog;
	uint64_t prog_base; /* bytes of the files before this one */
};

/* Uploads j->f (or finishes it); sets f->done and f->header_sha256. An
 * exit code. */
int tus_upload(struct tus_job *j);

#endif
