/* Server secrets in files; see secrets.h. */
#include "util/common.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/fsutil.h"
#include "util/log.h"
#include "util/rand.h"
#include "util/secrets.h"

/*
 * dir/name into out: made (random, mode 0600) when absent. One way out:
 * fd is closed on every path. A path that does not fit is refused, never
 * cut short (a shorter path is another file).
 */
static int
load_one(const char *dir, const char *name, unsigned char *out)
{
	char path[4096];
	struct stat st;
	ssize_t n;
	int fd = -1, rc = -1;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path)) {
		log_error("secrets_dir too long", "{s:s}", "file", name);
		return -1;
	}
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1 && errno == ENOENT) {
		randombytes_buf(out, SECRET_LEN);
		fd = open(path,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd == -1 || write(fd, out, SECRET_LEN) != SECRET_LEN ||
		    fsync(fd) == -1) {
			log_error("cannot write secret", "{s:s,s:s}", "path",
			    path, "error", strerror(errno));
			goto out;
		}
		log_info("created secret", "{s:s}", "path", path);
		rc = 0;
		goto out;
	}
	if (fd == -1 || fstat(fd, &st) == -1) {
		log_error("cannot read secret", "{s:s,s:s}", "path", path,
		    "error", strerror(errno));
		goto out;
	}
	if ((st.st_mode & 077) != 0)
		log_warn("secret readable by others; chmod 600", "{s:s}",
		    "path", path);
	n = read(fd, out, SECRET_LEN);
	if (n != SECRET_LEN) {
		log_error(
		    "secret file has the wrong size", "{s:s}", "path", path);
		goto out;
	}
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	return rc;
}

int
secrets_load(struct secrets *s, const char *dir)
{
	if (mkdir_p(dir, 0700) == -1) {
		log_error("cannot create secrets folder", "{s:s,s:s}", "path",
		    dir, "error", strerror(errno));
		return -1;
	}
	if (load_one(dir, "pepper", s->pepper) == -1 ||
	    load_one(dir, "server.key", s->server_key) == -1 ||
	    load_one(dir, "outbox.key", s->outbox_key) == -1) {
		secrets_wipe(s);
		return -1;
	}
	return 0;
}

void
secrets_wipe(struct secrets *s)
{
	sodium_memzero(s, sizeof(*s));
}

void
secrets_keyed_hash(const struct secrets *sec, const char *label, const char *in,
    char out[SECRETS_HASH_LEN + 1])
{
	unsigned char h[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, sec->server_key, SECRET_LEN);
	crypto_auth_hmacsha256_update(
	    &st, (const unsigned char *)label, strlen(label) + 1);
	crypto_auth_hmacsha256_update(
	    &st, (const unsigned char *)in, strlen(in));
	crypto_auth_hmacsha256_final(&st, h);
	b64u_encode(out, SECRETS_HASH_LEN + 1, h, sizeof(h));
	sodium_memzero(&st, sizeof(st));
}
