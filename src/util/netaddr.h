/*
 * IP addresses and networks as the configuration and the proxy headers
 * name them: "192.0.2.7", "2001:db8::1", "10.0.0.0/8", "fd00::/8". Every
 * address is kept as 16 bytes, an IPv4 one in its IPv4-mapped IPv6 form
 * (::ffff:a.b.c.d), so one comparison serves both families. Parsing is
 * bounded (inet_pton on at most NETADDR_TEXT_MAX bytes, prefixes through
 * num.h) and never allocates more than the list it returns.
 */
#ifndef ST_NETADDR_H
#define ST_NETADDR_H

#include <stddef.h>
#include <stdint.h>

#define NETADDR_TEXT_MAX 45 /* the longest IPv6 text form */
#define NETADDR_LIST_MAX 64 /* networks in one list */

struct netaddr_net {
	uint8_t addr[16];
	unsigned prefix; /* 0..128, in the 16-byte form */
};

struct netaddr_list {
	struct netaddr_net nets[NETADDR_LIST_MAX];
	size_t n;
};

/*
 * Parses len bytes of s as one address, IPv4 or IPv6, with nothing around
 * it. 0 and the 16-byte form in out, or -1.
 */
int netaddr_parse(const char *s, size_t len, uint8_t out[16]);

/*
 * Parses a list of addresses and networks separated by commas and/or
 * spaces ("127.0.0.1, 10.0.0.0/8 ::1"). A network with bits set below its
 * prefix ("10.0.0.1/8") is refused, as it is almost always a typing error.
 * An empty string is an empty list. 0, or -1 with a reason in *why
 * (static text) and *list untouched.
 */
int netaddr_list_parse(
    const char *s, struct netaddr_list *list, const char **why);

/* 1 when addr lies in one of the networks of list, else 0. */
int netaddr_list_match(const struct netaddr_list *list, const uint8_t addr[16]);

/* The text form of addr ("192.0.2.7" for a mapped IPv4 address). */
void netaddr_format(const uint8_t addr[16], char *out, size_t len);

#endif
