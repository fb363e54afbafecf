/* Wall-clock time with a test-only offset; see clock.h. */
#include "util/common.h"

#include <time.h>

#include "util/clock.h"
#include "util/num.h"

static const char *offset_file;

void
clock_set_offset_file(const char *path)
{
	offset_file = path != NULL && *path != '\0' ? path : NULL;
}

static int64_t
offset(void)
{
	char line[32];
	FILE *f;
	uint64_t v;
	size_t n;
	int neg;

	if (offset_file == NULL || (f = fopen(offset_file, "re")) == NULL)
		return 0;
	n = fread(line, 1, sizeof(line) - 1, f);
	fclose(f);
	line[n] = '\0';
	line[strcspn(line, "\r\n ")] = '\0';
	neg = line[0] == '-';
	if (num_parse_u64(line + neg, 0, 100ull * 365 * 86400, &v) == -1)
		return 0;
	return neg ? -(int64_t)v : (int64_t)v;
}

int64_t
clock_now(void)
{
	return (int64_t)time(NULL) + offset();
}

int64_t
clock_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec + offset()) * 1000000 +
	    (int64_t)ts.tv_nsec / 1000;
}
