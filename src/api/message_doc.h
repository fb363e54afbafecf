/*
 * The message document readers get (docs/receive.md): the sender with
 * their signing key, the recipient, subject, reference, dates, files and
 * the sealed manifest. The caller adds what opens K for this reader.
 */
#ifndef ST_API_MESSAGE_DOC_H
#define ST_API_MESSAGE_DOC_H

#include <jansson.h>

struct msg_row;
struct msg_view;

/* m as v shows it (domain/msg_view.h); with_link: add the link stanza
 * (only the link reader needs it). */
json_t *message_doc(
    const struct msg_row *m, const struct msg_view *v, int with_link);

#endif
