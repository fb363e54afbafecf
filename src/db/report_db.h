/*
 * SQL for the lists and reports (P2-P5): pages of sent and received
 * messages by keyset, and the events of one message. Rows are handed to a
 * callback one at a time, so a caller can stream any number of them.
 */
#ifndef ST_REPORT_DB_H
#define ST_REPORT_DB_H

#include <stdint.h>

#include "db/db.h"

/* One line of a message list; valid during the callback only. */
struct msg_line {
	const char *id, *state, *subject, *reference, *name, *email;
	int64_t sent_at, expires_at, total_size, files, created_at;
	int64_t key_at; /* the time the list is ordered by */
	int external; /* received from outside (Q2, Q4) */
};

/* Which messages, and from where (keyset: strictly after the cursor). */
struct msg_filter {
	const char *user_id;
	int received; /* 0: sent by user_id, 1: received by user_id */
	const char *state; /* "" any */
	const char *like; /* lower-case LIKE pattern with \ escapes, "" any */
	int64_t before_at; /* INT64_MAX on the first page */
	const char *before_id; /* "" on the first page */
	int64_t from, to; /* sent (or created) time in [from, to) */
	int limit;
};

/* Calls fn for each matching line, newest first. 0 or -1. */
int msg_page(struct db_conn *c, const struct msg_filter *f,
    void (*fn)(const struct msg_line *l, void *arg), void *arg);

/* One event; valid during the callback only. */
struct event_line {
	int64_t at_us;
	const char *kind, *actor, *detail; /* actor, detail may be NULL */
	/* The member who acted for a mailbox actor, or NULL (A7). */
	const char *member_name, *member_email;
};

/* Calls fn for at most max events of msg_id, oldest first; the number
 * seen (which may be max + 1: there were more), or -1. */
int64_t events_of(struct db_conn *c, const char *msg_id, int64_t max,
    void (*fn)(const struct event_line *e, void *arg), void *arg);

#endif
