/* File name rules; see filename.h. */
#include "util/common.h"

#include <ctype.h>
#include <strings.h>

#include "domain/filename.h"

static int
is_device_name(const char *name)
{
	static const char *const dev[] = { "con", "prn", "aux", "nul", "com1",
		"com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
		"lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8",
		"lpt9" };
	size_t stem = strcspn(name, "."), i;

	for (i = 0; i < ST_ARRAY_LEN(dev); i++)
		if (strlen(dev[i]) == stem &&
		    strncasecmp(name, dev[i], stem) == 0)
			return 1;
	return 0;
}

static int
extension_allowed(const char *name, const char *allowed)
{
	const char *dot = strrchr(name, '.'), *p = allowed;
	size_t el;

	if (dot == NULL || dot[1] == '\0')
		return 0;
	dot++;
	el = strlen(dot);
	while (*p != '\0') {
		size_t n;

		while (*p == ' ' || *p == ',')
			p++;
		n = strcspn(p, ", ");
		if (n == el && strncasecmp(p, dot, n) == 0)
			return 1;
		p += n;
	}
	return 0;
}

int
filename_check(
    const char *name, const char *allowed, const char **code, const char **why)
{
	const unsigned char *p = (const unsigned char *)name;
	size_t len = strlen(name);

	*code = "bad_file_name";
	if (len == 0 || len > FILENAME_MAX_BYTES) {
		*why = "a file name has 1 to 255 bytes";
		return -1;
	}
	for (; *p != '\0'; p++) {
		/* C1 controls are U+0080..U+009F: bytes C2 80..C2 9F. */
		if (*p < 0x20 || *p == 0x7f ||
		    (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)) {
			*why = "control characters are not allowed";
			return -1;
		}
		if (*p == '/' || *p == '\\' || *p == ':') {
			*why = "path separators are not allowed";
			return -1;
		}
	}
	if (name[0] == ' ' || name[len - 1] == ' ' || name[len - 1] == '.') {
		*why = "no leading or trailing space or trailing dot";
		return -1;
	}
	if (is_device_name(name)) {
		*why = "reserved device name";
		return -1;
	}
	if (!extension_allowed(name, allowed)) {
		*code = "extension_not_allowed";
		*why = "this type of file is not allowed; put it in a zip file";
		return -1;
	}
	return 0;
}
