/* Shared by the address book and templates; see book.h. */
#include "util/common.h"

#include "domain/book.h"

int
book_text_ok(const char *s, size_t max, int multiline)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	for (; *p != '\0'; p++) {
		if ((*p < 0x20 || *p == 0x7f) &&
		    !(multiline && (*p == '\n' || *p == '\t')))
			return 0;
		/* C1 controls, U+0080..U+009F, are 0xC2 0x80..0x9F. */
		if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			return 0;
		if ((*p & 0xc0) != 0x80)
			n++;
	}
	return n <= max;
}
