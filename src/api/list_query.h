/*
 * The query parameters of the message lists and the overview, checked
 * with limits: box, limit, before (a keyset cursor "<seconds>.<id>"), q
 * (search text), state, and from/to (dates YYYY-MM-DD in Amsterdam time).
 */
#ifndef ST_LIST_QUERY_H
#define ST_LIST_QUERY_H

#include <stdint.h>

#include "util/rand.h"

struct request;

#define LISTQ_CURSOR_MAX (20 + 1 + RAND_ID_LEN + 1)
#define LISTQ_Q_MAX 100 /* bytes of search text */

struct listq {
	int received;
	int limit;
	char state[16]; /* "" any */
	char like[2 * LISTQ_Q_MAX + 3]; /* "" or %escaped lower text% */
	int64_t before_at; /* INT64_MAX: first page */
	char before_id[RAND_ID_LEN + 1]; /* "" first page */
};

/*
 * Reads box (required), limit (1..max, default def), before, q and state
 * into out. NULL on success, else a message for a 400.
 */
const char *listq_parse(
    struct request *req, int def, int max, struct listq *out);

/*
 * Reads from and to (each optional, YYYY-MM-DD, to inclusive) as UTC
 * seconds [from, to). NULL on success, else a message for a 400.
 */
const char *listq_period(struct request *req, int64_t *from, int64_t *to);

/* Writes the cursor of a line ordered at `at` with id. */
void listq_cursor(char *out, size_t len, int64_t at, const char *id);

/* 0 and the search pattern in out when q is acceptable, else -1. Exposed
 * for the unit tests. */
int listq_like(const char *q, char *out, size_t len);
/* 0 and the date's fields when s is a real date YYYY-MM-DD, else -1. */
int listq_date(const char *s, int *y, int *m, int *d);
/* 0 when s is a cursor of the form listq_cursor writes, else -1. */
int listq_parse_cursor(const char *s, int64_t *at, char id[RAND_ID_LEN + 1]);

#endif
