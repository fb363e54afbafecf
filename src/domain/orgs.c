/* Connected organisations; see orgs.h. */
#include "util/common.h"

#include <ctype.h>
#include <time.h>

#include "db/db.h"
#include "db/orgs_db.h"
#include "domain/orgs.h"

int
orgs_normalise(const char *in, char *out, size_t outlen, const char **why)
{
	size_t len = strnlen(in, ORGS_DOMAIN_MAX + 2), i, label = 0;
	int labels = 1;

	if (len > 0 && in[len - 1] == '.')
		len--;
	if (len == 0 || len > ORGS_DOMAIN_MAX || len >= outlen) {
		*why = "a domain has 1 to 253 characters";
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c >= 0x80) {
			*why = "give an international domain in its xn-- form";
			return -1;
		}
		c = (unsigned char)tolower(c);
		if (c == '.') {
			if (label == 0 || out[i - 1] == '-') {
				*why = "empty label or a label ending in '-'";
				return -1;
			}
			labels++;
			label = 0;
		} else if (isalnum(c) || c == '-') {
			if (label == 0 && c == '-') {
				*why = "a label may not start with '-'";
				return -1;
			}
			if (++label > 63) {
				*why = "a label has at most 63 characters";
				return -1;
			}
		} else {
			*why = "only letters, digits, '-' and '.' are allowed";
			return -1;
		}
		out[i] = (char)c;
	}
	if (label == 0 || out[len - 1] == '-' || labels < 2) {
		*why = "expected a name like example.nl";
		return -1;
	}
	out[len] = '\0';
	return 0;
}

int
orgs_add(struct db_conn *c, const char *domain)
{
	switch (orgs_db_add(c, domain, time(NULL))) {
	case DB_OK:
		return 0;
	case DB_CONSTRAINT:
		return 1;
	default:
		return -1;
	}
}

int
orgs_remove(struct db_conn *c, const char *domain)
{
	return orgs_db_remove(c, domain);
}

int
orgs_list(struct db_conn *c, void (*fn)(const char *, void *), void *arg)
{
	return orgs_db_domains(c, fn, arg);
}

int
orgs_is_connected(struct db_conn *c, const char *domain)
{
	return orgs_db_is_connected(c, domain);
}
