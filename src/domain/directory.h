/*
 * The key directory (SECURITY.md 1.8): what the server hands out as the
 * public keys of an address. One rule, used by every answer that carries
 * someone's key for sending (GET /api/v1/keys and message creation), so
 * they cannot disagree by accident: a verified account or department
 * mailbox with a key; anything else has no key (the link flow). Clients
 * trust nothing here on its own: they check it against their pins
 * (web/src/account/page/peerkeys.js, src/client/pins.h).
 */
#ifndef ST_DIRECTORY_H
#define ST_DIRECTORY_H

#include "domain/user.h"

struct db_conn;

/*
 * The published keys of a normalised address: 1 found (u filled;
 * user_release it), 0 no key for it, -1 database error.
 */
int directory_lookup(struct db_conn *c, const char *email, struct user *u);

#endif
