/* Tests for src/http: route matching and the JSON depth scan. */
#include "unit.h"

#include "http/json_body.h"
#include "http/range.h"
#include "http/router.h"

static enum route_match
m(const char *method, const char *path, char **params, char *allow)
{
	size_t idx;

	return router_match(method, path, &idx, params, 4, allow, 128);
}

TEST(router_matches_params_and_methods)
{
	char *p[4] = { 0 }, allow[128];
	size_t i;

	CHECK(m("GET", "/api/v1/config", p, allow) == ROUTE_FOUND);
	CHECK(m("HEAD", "/api/v1/config", p, allow) == ROUTE_FOUND);
	CHECK(m("DELETE", "/api/v1/config", p, allow) == ROUTE_BAD_METHOD);
	CHECK(strstr(allow, "GET") != NULL);
	CHECK(m("GET", "/api/v1/nope", p, allow) == ROUTE_NO_PATH);
	CHECK(m("GET", "/r/abc-DEF_123", p, allow) == ROUTE_FOUND);
	CHECK(p[0] != NULL && strcmp(p[0], "abc-DEF_123") == 0);
	for (i = 0; i < 4; i++) {
		free(p[i]);
		p[i] = NULL;
	}
}

TEST(router_refuses_traversal)
{
	char *p[4] = { 0 }, allow[128];

	CHECK(m("GET", "/assets/../../etc/passwd", p, allow) == ROUTE_NO_PATH);
	CHECK(m("GET", "/assets/..", p, allow) == ROUTE_NO_PATH);
	CHECK(m("GET", "/assets/.hidden", p, allow) == ROUTE_NO_PATH);
	CHECK(m("GET", "/assets/a\\b", p, allow) == ROUTE_NO_PATH);
	CHECK(m("GET", "/r/", p, allow) == ROUTE_NO_PATH);
	CHECK(p[0] == NULL);
}

TEST(json_depth_scan)
{
	char deep[100];

	memset(deep, '[', sizeof(deep));
	CHECK(!json_depth_ok(deep, sizeof(deep), 32));
	CHECK(json_depth_ok(
	    "{\"a\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"}", 40, 2));
	CHECK(json_depth_ok("[[[]]]", 6, 3));
	CHECK(!json_depth_ok("[[[[]]]]", 8, 3));
}

static int
rng(const char *h, uint64_t size, uint64_t off, uint64_t len)
{
	uint64_t o = 0, l = 0;

	return http_range_parse(h, size, &o, &l) == RANGE_OK && o == off &&
	    l == len;
}

TEST(range_single_forms)
{
	uint64_t o, l;

	CHECK(rng("bytes=0-", 1000, 0, 1000));
	CHECK(rng("bytes=100-", 1000, 100, 900));
	CHECK(rng("bytes=100-199", 1000, 100, 100));
	CHECK(rng("bytes=990-5000", 1000, 990, 10));
	CHECK(rng("bytes=-10", 1000, 990, 10));
	CHECK(rng("bytes=-5000", 1000, 0, 1000));
	CHECK(rng("bytes=999-999", 1000, 999, 1));
	CHECK(http_range_parse("bytes=1000-", 1000, &o, &l) ==
	    RANGE_UNSATISFIABLE);
	CHECK(
	    http_range_parse("bytes=-0", 1000, &o, &l) == RANGE_UNSATISFIABLE);
	CHECK(http_range_parse("bytes=0-", 0, &o, &l) == RANGE_UNSATISFIABLE);
}

TEST(range_ignores_what_it_does_not_serve)
{
	static const char *const bad[] = { NULL, "", "bytes=", "bytes=-",
		"bytes=a-", "bytes=1-2,3-4", "items=0-1", "bytes= 0-1",
		"bytes=+1-2", "bytes=5-4", "bytes=0-1 ", "bytes=1-2x",
		"bytes=99999999999999999999-", "bytes=0--1", "Bytes=0-1" };
	uint64_t o, l;
	size_t i;

	for (i = 0; i < ST_ARRAY_LEN(bad); i++)
		CHECK(http_range_parse(bad[i], 1000, &o, &l) == RANGE_NONE);
	/* The largest sizes do not overflow. */
	CHECK(rng("bytes=1-9999999999999999999", UINT64_MAX, 1,
	    UINT64_C(9999999999999999999)));
	CHECK(rng("bytes=9999999999999999999-", UINT64_MAX,
	    UINT64_C(9999999999999999999),
	    UINT64_MAX - UINT64_C(9999999999999999999)));
}
