/*
 * The reports of P3-P5 built from the messages, files and events tables:
 * the PDF report of one message ("Download rapportage") and the PDF
 * overview of the messages a user sent ("Download overzicht"). Both are
 * written to fd page by page (see pdf.h), in lang ("nl" or "en": the
 * message catalogue's words, util/i18n.h); both show times in
 * Europe/Amsterdam. The caller has checked that the user may see them.
 */
#ifndef ST_REPORT_H
#define ST_REPORT_H

#include <stdint.h>

struct db_conn;
struct msg_row;

#define REPORT_MAX_EVENTS 100000 /* a PDF shows at most this many */

/* Who did it, as the report tells it: "sender", "recipient" (an
 * account), "link" (whoever holds the link) or "system". */
const char *report_role(const struct msg_row *m, const char *actor);

/* The report of m, status as at now, for its sender or (received) its
 * recipient: the title says which. Bytes written, or -1. */
int64_t report_message_pdf(struct db_conn *c, const struct msg_row *m,
    int64_t now, int received, const char *lang, int fd);

/* The overview of what user_id sent with a sent (or created) time in
 * [from, to). Bytes written, or -1. */
int64_t report_overview_pdf(struct db_conn *c, const char *user_id,
    int64_t from, int64_t to, int64_t now, const char *lang, int fd);

/* A transport's reply as the reports show it: the development
 * transports' tokens ("250 st:file") in words of lang, others as given. */
const char *report_reply(const char *lang, const char *reply);

#endif
