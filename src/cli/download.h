/*
 * One received document, downloaded and decrypted as it streams into a
 * temporary file in the output folder (mode 0600, O_EXCL), which gets its
 * final name only after the last record verified and the size is the
 * manifest's (SECURITY.md §1.10: unauthenticated plaintext never carries
 * a final name). A failure removes the temporary file. A broken
 * connection continues with a Range request from the byte it stopped at.
 */
#ifndef ST_CLI_DOWNLOAD_H
#define ST_CLI_DOWNLOAD_H

#include <stdint.h>

#include "cli/cli.h"
#include "cli/progress.h"

struct download {
	const char *url_path; /* /api/v1/.../files/<file_id> */
	const unsigned char *k; /* the message key */
	unsigned char msg_id[16];
	uint32_t index;
	uint64_t size; /* plaintext, from the manifest */
	unsigned char header_sha256[32]; /* from the manifest */
	int dirfd; /* the output folder */
	const char *name; /* final name in it (safe) */
	int force; /* replace an existing file */
	struct progress *prog;
	uint64_t prog_base;
};

/* An exit code: CLI_INTEGRITY for anything that does not verify. */
int download_file(struct cli *c, const struct download *d);

#endif
