/*
 * What `securetransfer receive` is given: a recipient's link
 * "https://host/r/<id>#<S>" (S in the fragment, docs/receive.md; also with
 * the '#' mangled to "%23" by mail scanners), a message page
 * "https://host/berichten/<id>", or a bare message id. Outside input: a
 * pasted URL, parsed strictly and never echoed with its secret.
 */
#ifndef ST_LINK_H
#define ST_LINK_H

#include <stddef.h>

#include "util/rand.h"

#define LINK_BASE_MAX 512
#define LINK_INPUT_MAX 2048

enum link_kind {
	LINK_ID, /* a message of the logged-in account */
	LINK_SECRET, /* a link with S: the link flow */
};

struct link {
	enum link_kind kind;
	/* "scheme://authority[/prefix]" without a trailing slash; "" for a
	 * bare id (the configured server is used then). */
	char base[LINK_BASE_MAX + 1];
	char id[RAND_ID_LEN + 1];
	unsigned char s[32]; /* LINK_SECRET only; wipe when done */
};

/*
 * Parses the len bytes at in. 0, or -1 with *why set to a short English
 * reason (a link without its secret, a bad id, not http(s), ...).
 */
int link_parse(const char *in, size_t len, struct link *out, const char **why);

/* Wipes the secret. */
void link_clear(struct link *l);

#endif
