/* The STF1 vectors in tests/vectors/ (run from the repository root). */
#include "unit.h"

#include "../tools/stf1-testlib.h"

TEST(envelope_vectors)
{
	struct tl_report r = { 0, 0, stderr };

	tl_check_dir(&r, "tests/vectors");
	CHECK(r.failed == 0);
	CHECK(r.passed >= 60);
}
