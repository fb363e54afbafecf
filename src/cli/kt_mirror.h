/*
 * A witness's own copy of every leaf of the key-transparency log
 * (`securetransfer log verify --all | --address`, docs/transparency.md,
 * "Witnesses"): a file of 120-byte leaves, oldest first, brought up to a
 * signed head on each run. The copy already held must be a prefix of the
 * head (a consistency proof from its own root), and all leaves together
 * must hash to the head's root, so the server can neither change an entry
 * it served before nor serve leaves other than those it signed. Every
 * address's epochs must go 1, 2, 3, ... in log order.
 */
#ifndef ST_CLI_KT_MIRROR_H
#define ST_CLI_KT_MIRROR_H

#include "cli/cli.h"
#include "tlog/leaf.h"
#include "tlog/note.h"

struct kt_scan {
	/* In: the address whose leaves are wanted (its leaf hash), or NULL. */
	const unsigned char *addr;
	void (*fn)(uint64_t index, const struct tlog_leaf *l, void *arg);
	void *arg;
	/* Out. */
	uint64_t fetched; /* leaves downloaded this run */
	uint64_t addresses; /* distinct addresses */
	uint64_t bad_epoch; /* index of the first leaf out of sequence + 1 */
};

/*
 * Brings the copy in path up to cp (fetching the missing leaves, which
 * needs a session) and scans every leaf. CLI_OK; CLI_INTEGRITY with the
 * reason printed when the copy or the served leaves do not fit the signed
 * head or an address's epochs are out of sequence; CLI_NETWORK, CLI_AUTH,
 * CLI_LOCAL.
 */
int kt_mirror_sync(struct cli *c, const char *path,
    const struct tlog_checkpoint *cp, struct kt_scan *scan);

#endif
