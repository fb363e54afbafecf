/*
 * E-mail addresses: the one validation used everywhere (registration,
 * recipients, contacts, requests). Accepted: a dot-atom local part of
 * 1..64 printable ASCII characters (no quoted forms, no comments, no
 * spaces or control characters), '@', and a domain as orgs_normalise
 * accepts it; at most 254 bytes. The result is lowercased.
 */
#ifndef ST_EMAIL_H
#define ST_EMAIL_H

#include <stddef.h>

#define EMAIL_MAX 254

/* 0 with the normalised address in out and *domain pointing into it;
 * -1 with *why set. */
int email_normalise(const char *in, char *out, size_t outlen,
    const char **domain, const char **why);

#endif
