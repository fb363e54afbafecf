/*
 * Connected organisations (O1): the e-mail domains whose employees may
 * register. Domains are stored lowercase ASCII; internationalised names
 * are given in their xn-- form.
 */
#ifndef ST_ORGS_H
#define ST_ORGS_H

#include <stddef.h>

struct db_conn;

#define ORGS_DOMAIN_MAX 253

/*
 * Normalises a domain name into out (lowercase, no trailing dot) and
 * checks its syntax: labels of [a-z0-9-], 1..63 bytes, not starting or
 * ending with '-', at least two labels. Returns 0, or -1 with *why set.
 */
int orgs_normalise(const char *in, char *out, size_t outlen, const char **why);

/* 0 added, 1 already present, -1 error. */
int orgs_add(struct db_conn *c, const char *domain);
/* 0 removed, 1 not present, -1 error. */
int orgs_remove(struct db_conn *c, const char *domain);
/* Calls fn for each domain in order; -1 on a database error. */
int orgs_list(
    struct db_conn *c, void (*fn)(const char *domain, void *arg), void *arg);
/* 1 when domain (normalised) is connected, 0 when not, -1 on error. */
int orgs_is_connected(struct db_conn *c, const char *domain);

#endif
