/* Tests for the edge: util/netaddr, http/strict, http/proxy, body rates. */
#include "unit.h"

#include <stdarg.h>

#include "http/deadline.h"
#include "http/proxy.h"
#include "http/strict.h"
#include "util/netaddr.h"

static int
in(const struct netaddr_list *l, const char *ip)
{
	uint8_t a[16];

	return netaddr_parse(ip, strlen(ip), a) == 0 &&
	    netaddr_list_match(l, a);
}

TEST(netaddr_lists_and_matches)
{
	struct netaddr_list l;
	const char *why = NULL;

	REQUIRE(
	    netaddr_list_parse("127.0.0.1, 10.0.0.0/8 fd00::/8,192.168.1.0/24",
	        &l, &why) == 0);
	CHECK(l.n == 4);
	CHECK(in(&l, "127.0.0.1"));
	CHECK(!in(&l, "127.0.0.2"));
	CHECK(in(&l, "10.255.1.2"));
	CHECK(!in(&l, "11.0.0.1"));
	CHECK(in(&l, "192.168.1.77"));
	CHECK(!in(&l, "192.168.2.1"));
	CHECK(in(&l, "fd12::1"));
	CHECK(!in(&l, "fe80::1"));
	/* An IPv4 address in IPv6 mapped form is the same address. */
	CHECK(in(&l, "::ffff:10.1.2.3"));
	REQUIRE(netaddr_list_parse("", &l, &why) == 0);
	CHECK(l.n == 0 && !in(&l, "127.0.0.1"));
	REQUIRE(netaddr_list_parse("0.0.0.0/0", &l, &why) == 0);
	CHECK(in(&l, "8.8.8.8") && !in(&l, "2001:db8::1"));
}

TEST(netaddr_refuses_bad_lists)
{
	static const char *const bad[] = { "10.0.0.1/8", "10.0.0.0/33",
		"10.0.0.0/", "10.0.0.0/08", "::1/129", "example.org",
		"127.0.0.1;", "1.2.3", "1.2.3.4/-1", "[::1]", "1.2.3.4:80" };
	struct netaddr_list l;
	const char *why;
	size_t i;
	char many[64 * 16];

	for (i = 0; i < ST_ARRAY_LEN(bad); i++) {
		why = NULL;
		CHECK(netaddr_list_parse(bad[i], &l, &why) == -1);
		CHECK(why != NULL);
	}
	many[0] = '\0';
	for (i = 0; i < NETADDR_LIST_MAX + 1; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many),
		    "10.0.0.%zu,", i);
	CHECK(netaddr_list_parse(many, &l, &why) == -1);
}

TEST(netaddr_formats)
{
	uint8_t a[16];
	char out[64];

	REQUIRE(netaddr_parse("192.0.2.7", 9, a) == 0);
	netaddr_format(a, out, sizeof(out));
	CHECK(strcmp(out, "192.0.2.7") == 0);
	REQUIRE(netaddr_parse("2001:DB8::1", 11, a) == 0);
	netaddr_format(a, out, sizeof(out));
	CHECK(strcmp(out, "2001:db8::1") == 0);
}

/* The verdict for headers given as "Name", "value", ..., NULL. */
static unsigned
verdict(int minor, ...)
{
	struct strict_state st;
	const char *k, *v, *why;
	va_list ap;

	strict_init(&st);
	va_start(ap, minor);
	while ((k = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		strict_header(&st, k, strlen(k), v, strlen(v));
	}
	va_end(ap);
	return strict_verdict(&st, minor, &why);
}

TEST(strict_framing)
{
	CHECK(verdict(1, "Host", "x", "Content-Length", "5", NULL) == 0);
	CHECK(verdict(0, "Content-Length", "5", NULL) == 0);
	CHECK(
	    verdict(1, "host", "x", "transfer-encoding", "Chunked", NULL) == 0);
	CHECK(verdict(1, "Host", "x", "Content-Length", "5", "Content-Length",
	          "6", NULL) == 400);
	CHECK(verdict(1, "Host", "x", "Content-Length", "5", "Content-Length",
	          "5", NULL) == 400);
	CHECK(verdict(1, "Host", "x", "Content-Length", "5",
	          "Transfer-Encoding", "chunked", NULL) == 400);
	CHECK(verdict(1, "Host", "x", "Transfer-Encoding", "chunked",
	          "Transfer-Encoding", "chunked", NULL) == 400);
	CHECK(
	    verdict(1, "Host", "x", "Transfer-Encoding", "gzip", NULL) == 501);
	CHECK(verdict(0, "Transfer-Encoding", "chunked", NULL) == 400);
	CHECK(verdict(1, NULL) == 400);
	CHECK(verdict(1, "Host", "a", "Host", "b", NULL) == 400);
	CHECK(verdict(1, "Host", "x", "Content-Length ", "5", NULL) == 400);
	CHECK(verdict(1, "Host", "x", "X-A", "a\rb", NULL) == 400);
	CHECK(verdict(1, "Host", "x", "X-A", "a\x7f", NULL) == 400);
	CHECK(verdict(1, "Host", "x", "X-A", "tab\there \xc3\xa9", NULL) == 0);
	CHECK(verdict(1, "Host", "x", "", "v", NULL) == 400);
}

/* The client proxy_client picks for the header lines given, peer 127.0.0.1. */
static void
pick(const char *trusted, enum proxy_header kind, const char *line1,
    const char *line2, char *out, size_t len)
{
	struct netaddr_list l;
	const char *why, *lines[2] = { line1, line2 };
	uint8_t peer[16], got[16];

	if (netaddr_list_parse(trusted, &l, &why) == -1 ||
	    netaddr_parse("127.0.0.1", 9, peer) == -1) {
		snprintf(out, len, "setup");
		return;
	}
	proxy_client(&l, kind, lines,
	    line2 != NULL ? 2 :
	        line1     ? 1 :
	                    0,
	    peer, got);
	netaddr_format(got, out, len);
}

#define PICK(tr, kind, l1, l2, want) \
	do { \
		char got_[64]; \
		pick(tr, kind, l1, l2, got_, sizeof(got_)); \
		CHECK(strcmp(got_, want) == 0); \
	} while (0)

TEST(proxy_picks_the_right_most_untrusted_hop)
{
	const enum proxy_header X = PROXY_X_FORWARDED_FOR;

	PICK("127.0.0.1", X, "203.0.113.9", NULL, "203.0.113.9");
	/* The client wrote the left part itself: never believed. */
	PICK("127.0.0.1", X, "1.1.1.1, 203.0.113.9", NULL, "203.0.113.9");
	PICK("127.0.0.1, 10.0.0.0/8", X, "1.1.1.1, 203.0.113.9, 10.0.0.5", NULL,
	    "203.0.113.9");
	/* Two lines are one list, in order. */
	PICK("127.0.0.1, 10.0.0.0/8", X, "1.1.1.1, 203.0.113.9", "10.0.0.5",
	    "203.0.113.9");
	PICK("127.0.0.1", X, "[2001:db8::1]:443", NULL, "2001:db8::1");
	PICK("127.0.0.1", X, "2001:db8::2", NULL, "2001:db8::2");
	PICK("127.0.0.1", X, "198.51.100.1:5555", NULL, "198.51.100.1");
	/* Unreadable hops: the last trusted address read, at worst the peer. */
	PICK("127.0.0.1", X, "garbage", NULL, "127.0.0.1");
	PICK(
	    "127.0.0.1, 10.0.0.0/8", X, "nonsense, 10.0.0.7", NULL, "10.0.0.7");
	PICK("127.0.0.1", X, "", NULL, "127.0.0.1");
	PICK("127.0.0.1", X, NULL, NULL, "127.0.0.1");
	/* Every hop trusted: the left-most one. */
	PICK(
	    "10.0.0.0/8, 127.0.0.1", X, "10.0.0.1, 10.0.0.2", NULL, "10.0.0.1");
}

TEST(proxy_reads_forwarded)
{
	const enum proxy_header F = PROXY_FORWARDED;

	PICK("127.0.0.1", F, "for=192.0.2.60;proto=https;by=203.0.113.43", NULL,
	    "192.0.2.60");
	PICK("127.0.0.1", F, "for=1.2.3.4, for=\"[2001:db8:cafe::17]:4711\"",
	    NULL, "2001:db8:cafe::17");
	PICK("127.0.0.1", F, "For=\"198.51.100.17:80\"", NULL, "198.51.100.17");
	/* A quoted comma does not split an element. */
	PICK("127.0.0.1", F, "by=\"a,b\";for=192.0.2.1", NULL, "192.0.2.1");
	PICK("127.0.0.1", F, "for=unknown", NULL, "127.0.0.1");
	PICK("127.0.0.1", F, "for=_hidden", NULL, "127.0.0.1");
	PICK("127.0.0.1", F, "proto=https", NULL, "127.0.0.1");
	/* The other header is not read. */
	PICK("127.0.0.1", F, "192.0.2.1", NULL, "127.0.0.1");
}

TEST(proxy_request_ids)
{
	char long_id[80];

	CHECK(proxy_request_id_ok("4f1c9a0e2b7d4c3a9e8f7a6b5c4d3e2f"));
	CHECK(proxy_request_id_ok("req-1.a_b"));
	CHECK(!proxy_request_id_ok(""));
	CHECK(!proxy_request_id_ok("a b"));
	CHECK(!proxy_request_id_ok("a\"b"));
	CHECK(!proxy_request_id_ok("{\"x\":1}"));
	memset(long_id, 'a', sizeof(long_id) - 1);
	long_id[sizeof(long_id) - 1] = '\0';
	CHECK(!proxy_request_id_ok(long_id));
	long_id[64] = '\0';
	CHECK(proxy_request_id_ok(long_id));
}

TEST(body_rate_windows)
{
	const uint64_t s = 1000000000u;
	struct body_rate br = { 0 };

	/* 1 Mbit/s (125 kB/s) in 16 KiB pieces for a minute: never cut. */
	for (uint64_t t = 1; t < 60 * 8; t++)
		CHECK(body_rate_check(&br, t * s / 8, 16384, 0, 4096, 20) == 0);
	/* One byte a second: cut at the end of the first window. */
	memset(&br, 0, sizeof(br));
	CHECK(body_rate_check(&br, 1 * s, 1000, 0, 4096, 20) == 0);
	for (uint64_t t = 2; t < 21; t++)
		CHECK(body_rate_check(&br, t * s, 1, 0, 4096, 20) == 0);
	CHECK(body_rate_check(&br, 21 * s, 1, 0, 4096, 20) == -1);
	/* Time the server spent itself does not count. */
	memset(&br, 0, sizeof(br));
	CHECK(body_rate_check(&br, 1 * s, 65536, 0, 4096, 20) == 0);
	CHECK(body_rate_check(&br, 40 * s, 65536, 30 * s, 4096, 20) == 0);
	/* Off. */
	memset(&br, 0, sizeof(br));
	CHECK(body_rate_check(&br, 1 * s, 1, 0, 0, 20) == 0);
	CHECK(body_rate_check(&br, 100 * s, 1, 0, 0, 20) == 0);
}
