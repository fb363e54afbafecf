/* libFuzzer: what `securetransfer receive` is given (client/link.c). */
#include "util/common.h"

#include "client/link.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct link l;
	const char *why = NULL;

	if (link_parse((const char *)data, size, &l, &why) == 0) {
		if (!rand_id_valid(l.id) || strlen(l.base) > LINK_BASE_MAX ||
		    strchr(l.base, '#') != NULL)
			abort();
		if (l.kind == LINK_SECRET && l.base[0] == '\0')
			abort();
	} else if (why == NULL)
		abort();
	link_clear(&l);
	return 0;
}
