/*
 * libFuzzer: file names from a manifest (client/names.c). Whatever the
 * bytes, the result is one plain name: non-empty, at most 255 bytes,
 * valid UTF-8, no '/', '\\', control characters, never "." or "..".
 */
#include "util/common.h"

#include "client/names.h"
#include "client/nfc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const char *n)
{
	size_t len = strlen(n), i;

	if (len == 0 || len > NAMES_MAX || !nfc_valid_utf8(n, len) ||
	    strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
		abort();
	for (i = 0; i < len; i++)
		if (n[i] == '/' || n[i] == '\\' || (unsigned char)n[i] < 0x20)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char names[3][NAMES_MAX + 1];

	if (size > 4096)
		return 0;
	names_safe((const char *)data, size, names[0]);
	check(names[0]);
	names_send((const char *)data, size, names[1]);
	check(names[1]);
	if (strchr(names[0], ':') != NULL || names[0][0] == '.' ||
	    names[0][strlen(names[0]) - 1] == '.' ||
	    names[0][strlen(names[0]) - 1] == ' ')
		abort();
	memcpy(names[2], names[0], sizeof(names[2]));
	names_unique(names, 3);
	check(names[2]);
	return 0;
}
