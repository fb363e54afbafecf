/*
 * A tiny unit-test runner. A test file holds
 *
 *	TEST(buf_caps_growth) { ... CHECK(x == 1); ... }
 *
 * and registers itself at load time, so adding a file to tests/unit/ is
 * all it takes. CHECK records a failure and goes on; REQUIRE stops the test.
 * `unit-tests [substring]` runs the tests whose name contains it.
 */
#ifndef ST_UNIT_H
#define ST_UNIT_H

#include "util/common.h"

typedef void (*unit_fn)(void);
void unit_register(const char *name, unit_fn fn);
void unit_fail(const char *file, int line, const char *expr);
int unit_failed_now(void);
/* A harness variable (ST_TEST_PG, ST_KEEP_TMP) the runner took out of the
 * environment at start; NULL when it was not set. */
const char *unit_getenv(const char *name);

#define TEST(name) \
	static void test_##name(void); \
	__attribute__((constructor)) static void reg_##name(void) \
	{ \
		unit_register(#name, test_##name); \
	} \
	static void test_##name(void)

#define CHECK(e) \
	do { \
		if (!(e)) \
			unit_fail(__FILE__, __LINE__, #e); \
	} while (0)

#define REQUIRE(e) \
	do { \
		if (!(e)) { \
			unit_fail(__FILE__, __LINE__, #e); \
			return; \
		} \
	} while (0)

#endif
