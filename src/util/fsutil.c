/* File-system helpers; see fsutil.h. */
#include "util/common.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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
			if (mkdir(p, mode) == 0)
				rc = fsync_parent(p);
			else if (errno != EEXIST)
				rc = -1;
			*s = c;
			if (c == '\0')
				break;
		}
	}
	free(p);
	return rc;
}

/* The folder that holds path, in a new string ("." or "/" at the ends). */
static char *
parent_of(const char *path)
{
	char *p = xstrdup(path), *slash = strrchr(p, '/');

	if (slash == NULL) {
		free(p);
		return xstrdup(".");
	}
	slash[slash == p ? 1 : 0] = '\0';
	return p;
}

int
mkdir_parent(const char *path, mode_t mode)
{
	char *p = parent_of(path);
	int rc = 0;

	if (strcmp(p, ".") != 0 && strcmp(p, "/") != 0)
		rc = mkdir_p(p, mode);
	free(p);
	return rc;
}

int
fsync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc, saved;

	if (fd == -1)
		return -1;
	rc = fsync(fd);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

int
fsync_parent(const char *path)
{
	char *p = parent_of(path);
	int rc = fsync_dir(p);

	free(p);
	return rc;
}

int
fs_write_private(const char *path, const char *data, size_t len)
{
	size_t n = strlen(path) + 32;
	char *tmp = xmalloc(n);
	int fd, rc = -1;

	snprintf(tmp, n, "%s.%ld.tmp", path, (long)getpid());
	if (mkdir_parent(path, 0700) != 0)
		goto out;
	(void)unlink(tmp);
	fd = open(
	    tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd == -1)
		goto out;
	while (len > 0) {
		ssize_t w = write(fd, data, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		data += w;
		len -= (size_t)w;
	}
	if (len == 0 && fsync(fd) == 0 && close(fd) == 0) {
		fd = -1;
		rc = rename(tmp, path) == 0 ? fsync_parent(path) : -1;
	}
	if (fd != -1)
		close(fd);
	if (rc != 0)
		(void)unlink(tmp);
out:
	free(tmp);
	return rc;
}
