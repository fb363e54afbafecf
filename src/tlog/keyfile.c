/* The log key files; see keyfile.h. */
#include "util/common.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tlog/keyfile.h"
#include "util/fsutil.h"
#include "util/log.h"

/* Writes text to path with O_EXCL and mode, durably; 0 or -1 (errno). */
static int
write_new(const char *path, const char *text, mode_t mode)
{
	size_t len = strlen(text);
	int fd, rc = -1;

	fd = open(
	    path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd == -1)
		return -1;
	if (write(fd, text, len) == (ssize_t)len && fsync(fd) == 0)
		rc = 0;
	close(fd);
	if (rc == 0)
		rc = fsync_parent(path);
	return rc;
}

static int
make_key(struct tlog_signer *s, const char *path, const char *name)
{
	char text[TLOG_KEY_TEXT_MAX + 2];
	int rc = -1;

	if (tlog_signer_generate(s, name) == -1 ||
	    tlog_signer_format(s, text, sizeof(text) - 1) == -1)
		log_error("cannot make the transparency-log key", "{s:s}",
		    "name", name);
	else {
		memcpy(text + strlen(text), "\n", 2);
		if (write_new(path, text, 0600) == 0)
			rc = 0;
		else
			log_error("cannot write the transparency-log key",
			    "{s:s,s:s}", "path", path, "error",
			    strerror(errno));
	}
	sodium_memzero(text, sizeof(text));
	if (rc == -1)
		tlog_signer_wipe(s);
	return rc;
}

static int
read_key(struct tlog_signer *s, int fd, const char *path)
{
	char text[TLOG_KEY_TEXT_MAX + 2];
	struct stat st;
	ssize_t n;
	int rc = -1;

	if (fstat(fd, &st) == 0 && (st.st_mode & 077) != 0)
		log_warn("secret readable by others; chmod 600", "{s:s}",
		    "path", path);
	n = read(fd, text, sizeof(text));
	if (n <= 0 || (size_t)n == sizeof(text))
		log_error("transparency-log key file has the wrong size",
		    "{s:s}", "path", path);
	else if (tlog_signer_parse(s, text, (size_t)n) == -1)
		log_error("transparency-log key file is not a signer key",
		    "{s:s}", "path", path);
	else
		rc = 0;
	sodium_memzero(text, sizeof(text));
	return rc;
}

/* log.pub next to log.key: made when missing, never rewritten. */
static int
write_pub(const struct tlog_signer *s, const char *path)
{
	char text[TLOG_KEY_TEXT_MAX + 2];

	if (access(path, F_OK) == 0)
		return 0;
	if (tlog_verifier_format(&s->v, text, sizeof(text) - 1) == -1)
		return -1;
	memcpy(text + strlen(text), "\n", 2);
	if (write_new(path, text, 0644) == -1 && errno != EEXIST) {
		log_error("cannot write the transparency-log public key",
		    "{s:s,s:s}", "path", path, "error", strerror(errno));
		return -1;
	}
	return 0;
}

int
tlog_keyfile_load(
    struct tlog_signer *s, const char *dir, const char *name, int *created)
{
	char path[4096], pub[4096];
	int fd;

	*created = 0;
	if ((size_t)snprintf(path, sizeof(path), "%s/" TLOG_KEY_FILE, dir) >=
	        sizeof(path) ||
	    (size_t)snprintf(pub, sizeof(pub), "%s/" TLOG_PUB_FILE, dir) >=
	        sizeof(pub)) {
		log_error("secrets folder path too long", NULL);
		return -1;
	}
	if (mkdir_p(dir, 0700) == -1) {
		log_error("cannot create secrets folder", "{s:s,s:s}", "path",
		    dir, "error", strerror(errno));
		return -1;
	}
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1 && errno == ENOENT) {
		if (make_key(s, path, name) == -1)
			return -1;
		*created = 1;
		log_info("created secret", "{s:s}", "path", path);
	} else if (fd == -1) {
		log_error("cannot read secret", "{s:s,s:s}", "path", path,
		    "error", strerror(errno));
		return -1;
	} else {
		int rc = read_key(s, fd, path);

		close(fd);
		if (rc == -1)
			return -1;
	}
	if (write_pub(s, pub) == -1) {
		tlog_signer_wipe(s);
		return -1;
	}
	return 0;
}

void
tlog_default_name(const char *url, char out[TLOG_NAME_MAX + 1])
{
	const char *p = url;
	size_t n;

	if (strncmp(p, "https://", 8) == 0)
		p += 8;
	else if (strncmp(p, "http://", 7) == 0)
		p += 7;
	n = strlen(p);
	while (n > 0 && p[n - 1] == '/')
		n--;
	if (n == 0 || n > TLOG_NAME_MAX - 3 ||
	    (size_t)snprintf(out, TLOG_NAME_MAX + 1, "%.*s/kt", (int)n, p) >
	        TLOG_NAME_MAX ||
	    !tlog_name_ok(out))
		snprintf(out, TLOG_NAME_MAX + 1, "securetransfer/kt");
}
