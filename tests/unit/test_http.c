/* Tests for src/http: route matching and the JSON depth scan. */
#include "unit.h"

#include "http/json_body.h"
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
