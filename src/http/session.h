/*
 * Sessions on requests: the cookie __Host-st_session holds 256 random
 * bits; the database keeps only its keyed hash. A session ends after
 * accounts.session_idle seconds without use or accounts.session_absolute
 * seconds after login, whichever comes first.
 */
#ifndef ST_HTTP_SESSION_H
#define ST_HTTP_SESSION_H

#include "util/secrets.h"

struct request;

/* Sets req->user and req->session_hash from a live session; -1 if none. */
int session_load(struct request *req);
void session_release(struct request *req);
/*
 * A member acting for a department mailbox names it in the header
 * X-ST-Mailbox (or, for links, the query parameter mailbox): req->user
 * becomes the mailbox, with member_id the member. 0 done or nothing
 * named, -1 answered (403 not a member, 503).
 */
int session_act_as(struct request *req);
/*
 * The server's share of the key that keeps this browser's account keys
 * across a reload or a new tab (issue 25, docs/accounts-keys.md): an
 * HMAC under the server key of the session cookie's value. It exists only
 * while the browser presents a live session; the database holds neither
 * input, so a copy of it cannot make the share. -1 when the request has no
 * session cookie (the route's login check has already answered then).
 */
int session_unlock_share(struct request *req, char out[SECRETS_HASH_LEN + 1]);
/* Sets the session cookie (value token) on the response. */
void session_set_cookie(struct request *req, const char *token);
/* Expires the session cookie on the response. */
void session_clear_cookie(struct request *req);

#endif
