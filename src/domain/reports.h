/*
 * The lists and reports of messages (P1-P5) as their readers may see
 * them: the message a report is about (the one access rule, access.h),
 * its events and files, the pages of the sent and received lists, and the
 * PDFs (report/report.h), each read on a connection taken here.
 */
#ifndef ST_DOMAIN_REPORTS_H
#define ST_DOMAIN_REPORTS_H

#include "db/messages_db.h"
#include "db/report_db.h"
#include "domain/messages.h"

/*
 * Message id as u may see its report: m filled and *recipient set (1 the
 * recipient's account, 0 the sender) on ST_OK; ST_NOT_FOUND for an
 * absent message or one that is not u's; ST_ERROR.
 */
struct st_result reports_message(const struct msg_env *env, const char *id,
    const struct user *u, struct msg_row *m, int *recipient);

/* What a timeline needs besides its events and files. */
struct report_extra {
	int64_t nevents; /* seen: max + 1 when there were more */
	/* The sender's account (not for a message from outside); when
	 * found, owned: user_release(). */
	int sender_found;
	struct user sender;
};

/*
 * Calls event_fn for at most max events of m (oldest first), then
 * file_fn for each file (by index); 0, or -1 when the database failed
 * (x then holds nothing to release).
 */
int reports_timeline(const struct msg_env *env, const struct msg_row *m,
    int64_t max, void (*event_fn)(const struct event_line *e, void *arg),
    void (*file_fn)(const struct file_row *f, void *arg), void *arg,
    struct report_extra *x);

/* A page of a user's sent or received list (msg_page); 0 or -1. */
int reports_page(const struct msg_env *env, const struct msg_filter *f,
    void (*fn)(const struct msg_line *l, void *arg), void *arg);

/* report_message_pdf and report_overview_pdf on a connection of env. */
int64_t reports_message_pdf(const struct msg_env *env, const struct msg_row *m,
    int64_t now, int received, const char *lang, int fd);
int64_t reports_overview_pdf(const struct msg_env *env, const char *user_id,
    int64_t from, int64_t to, int64_t now, const char *lang, int fd);

#endif
