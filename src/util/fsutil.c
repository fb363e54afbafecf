/* File-system helpers; see fsutil.h. */
#include "util/common.h"

#include <sys/stat.h>

#include "util/fsutil.h"

int
mkdir_p(const char *path, mode_t mode)
{
	char *p = xstrdup(path), *s;
	int rc = 0;

	for (s = p + 1; rc == 0; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		{
			char c = *s;

			*s = '\0';
			if (mkdir(p, mode) == -1 && errno != EEXIST)
				rc = -1;
			*s = c;
			if (c == '\0')
				break;
		}
	}
	free(p);
	return rc;
}

int
mkdir_parent(const char *path, mode_t mode)
{
	char *p = xstrdup(path), *slash = strrchr(p, '/');
	int rc = 0;

	if (slash != NULL && slash != p) {
		*slash = '\0';
		rc = mkdir_p(p, mode);
	}
	free(p);
	return rc;
}
