/*
 * The message document readers get (docs/receive.md): the sender with
 * their signing key, the recipient, subject, reference, dates, files and
 * the sealed manifest. The caller adds what opens K for this reader.
 */
#ifndef ST_API_MESSAGE_DOC_H
#define ST_API_MESSAGE_DOC_H

#include <jansson.h>

struct db_conn;
struct msg_row;

/* with_link: add the link stanza (only the link reader needs it). */
json_t *message_doc(struct db_conn *c, const struct msg_row *m, int with_link);

#endif
