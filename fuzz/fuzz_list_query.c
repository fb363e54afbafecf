/* libFuzzer: the list and overview query values (api/list_query.c). */
#include "util/common.h"

#include "api/list_query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char in[512], like[2 * LISTQ_Q_MAX + 3], id[RAND_ID_LEN + 1];
	int64_t at;
	int y, m, d;

	if (size >= sizeof(in))
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	if (listq_like(in, like, sizeof(like)) == 0 &&
	    (like[0] != '%' || strlen(like) > 2 * LISTQ_Q_MAX + 2))
		abort();
	if (listq_parse_cursor(in, &at, id) == 0 &&
	    (at < 0 || strlen(id) != RAND_ID_LEN))
		abort();
	if (listq_date(in, &y, &m, &d) == 0 &&
	    (y < 2000 || m < 1 || m > 12 || d < 1 || d > 31))
		abort();
	return 0;
}
