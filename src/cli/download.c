/* Streamed download and decryption of one document; see download.h. */
#include "util/common.h"

#include <fcntl.h>
#include <signal.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/download.h"
#include "cli/http.h"
#include "envelope/stf1.h"
#include "envelope/stf1_dec.h"

static const unsigned retry_delays[] = { 1, 2, 4, 8, 15 };

/* The temporary file being written, removed if the process is stopped
 * (Ctrl-C, SIGTERM): unlinkat is async-signal-safe. */
static int stop_dirfd = -1;
static char stop_tmp[64];

static void
on_stop(int sig)
{
	if (stop_tmp[0] != '\0')
		(void)unlinkat(stop_dirfd, stop_tmp, 0);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
guard(int dirfd, const char *tmp)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = tmp != NULL ? on_stop : SIG_DFL;
	stop_tmp[0] = '\0';
	if (tmp != NULL) {
		stop_dirfd = dirfd;
		snprintf(stop_tmp, sizeof(stop_tmp), "%s", tmp);
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

struct sink {
	const struct download *d;
	struct stf1_dec *dec;
	int fd;
	uint64_t fed, total; /* ciphertext bytes in, expected */
	unsigned char hdr[STF1_HEADER_LEN];
	enum stf1_err err;
	int io_err;
};

static int
on_plain(void *arg, const unsigned char *p, size_t n)
{
	struct sink *s = arg;

	while (n > 0) {
		ssize_t w = write(s->fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			s->io_err = errno ? errno : EIO;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The header must be the one the signed manifest names. */
static int
check_header(struct sink *s)
{
	unsigned char h[32];

	if (EVP_Digest(s->hdr, sizeof(s->hdr), h, NULL, EVP_sha256(), NULL) !=
	        1 ||
	    sodium_memcmp(h, s->d->header_sha256, 32) != 0) {
		s->err = STF1_ERR_HEADER_MAC;
		return -1;
	}
	return 0;
}

static int
on_cipher(void *arg, const char *p, size_t n)
{
	struct sink *s = arg;
	enum stf1_err e;

	if (n > s->total - s->fed) {
		s->err = STF1_ERR_TRAILING;
		return -1;
	}
	if (s->fed < STF1_HEADER_LEN) {
		size_t k = STF1_HEADER_LEN - s->fed < n ?
		    (size_t)(STF1_HEADER_LEN - s->fed) :
		    n;

		memcpy(s->hdr + s->fed, p, k);
		if (s->fed + k == STF1_HEADER_LEN && check_header(s) != 0)
			return -1;
	}
	if ((e = stf1_dec_update(s->dec, p, n)) != STF1_OK) {
		s->err = e;
		return -1;
	}
	s->fed += n;
	progress_set(s->d->prog, s->d->prog_base + s->fed);
	return 0;
}

/* Fetches from s->fed on until the end, retrying broken connections. */
static int
fetch(struct cli *c, struct sink *s)
{
	struct http_req rq = { .method = "GET" };
	struct http_res r;
	unsigned tries = 0;
	char msg[300];
	int rc;

	rq.path = s->d->url_path;
	rq.write = on_cipher;
	rq.write_arg = s;
	while (s->fed < s->total) {
		uint64_t before = s->fed;

		rq.has_range = s->fed > 0;
		rq.range_from = s->fed;
		http_do(cli_http(c), &rq, &r);
		if (s->err != STF1_OK || s->io_err) {
			http_res_release(&r);
			return s->err != STF1_OK ? CLI_INTEGRITY : CLI_LOCAL;
		}
		if (r.status == 200 || r.status == 206) {
			if (rq.has_range &&
			    (r.status != 206 || !r.has_range ||
			        r.range_start != before)) {
				http_res_release(&r);
				return cli_fail(CLI_REFUSED,
				    "the server did not resume the download");
			}
			http_res_release(&r);
			if (s->fed == before || s->fed == s->total)
				break; /* the whole answer came, or nothing */
			continue;
		}
		rc = http_exit_code(&r);
		if (rc != CLI_NETWORK || tries >= ST_ARRAY_LEN(retry_delays)) {
			cli_fail(rc ? rc : CLI_REFUSED, "%s: %s", s->d->name,
			    http_describe(&r, msg, sizeof(msg)));
			http_res_release(&r);
			return rc ? rc : CLI_REFUSED;
		}
		http_res_release(&r);
		if (s->fed == before)
			sleep(retry_delays[tries++]);
		else
			tries = 0;
	}
	return CLI_OK;
}

/* The file under its final name: after the last record verified only. */
static int
commit(const struct download *d, const char *tmp, int fd)
{
	unsigned flags = d->force ? 0 : RENAME_NOREPLACE;

	if (fsync(fd) != 0)
		return cli_fail(CLI_LOCAL, "%s: %s", d->name, strerror(errno));
	if (renameat2(d->dirfd, tmp, d->dirfd, d->name, flags) != 0)
		return cli_fail(CLI_LOCAL, "%s: %s%s", d->name, strerror(errno),
		    errno == EEXIST ? " (--force replaces it)" : "");
	return CLI_OK;
}

int
download_file(struct cli *c, const struct download *d)
{
	struct sink s = { 0 };
	unsigned char rnd[8];
	char tmp[64];
	enum stf1_err e;
	int rc;

	if (stf1_ciphertext_size(d->size, STF1_LOG2_DEFAULT, &s.total) !=
	    STF1_OK)
		return cli_fail(CLI_INTEGRITY, "%s: impossible size", d->name);
	randombytes_buf(rnd, sizeof(rnd));
	snprintf(tmp, sizeof(tmp),
	    ".securetransfer-%02x%02x%02x%02x%02x%02x"
	    "%02x%02x.part",
	    rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
	s.fd = openat(d->dirfd, tmp,
	    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (s.fd == -1)
		return cli_fail(CLI_LOCAL,
		    "cannot write in the output folder: %s", strerror(errno));
	guard(d->dirfd, tmp);
	s.d = d;
	s.dec = stf1_dec_new(d->k, on_plain, &s);
	if (s.dec == NULL ||
	    stf1_dec_expect(s.dec, d->msg_id, d->index) != STF1_OK) {
		rc = cli_fail(CLI_LOCAL, "libcrypto failed");
		goto fail;
	}
	if ((rc = fetch(c, &s)) != CLI_OK) {
		if (rc == CLI_INTEGRITY)
			cli_fail(rc, "%s does not verify (%s): nothing saved",
			    d->name, stf1_err_name(s.err));
		else if (s.io_err)
			cli_fail(rc, "%s: %s", d->name, strerror(s.io_err));
		goto fail;
	}
	if (s.fed < s.total)
		e = STF1_ERR_TRUNCATED;
	else
		e = stf1_dec_final(s.dec);
	if (e == STF1_OK && stf1_dec_released(s.dec) != d->size)
		e = STF1_ERR_SIZE;
	if (e != STF1_OK) {
		rc = cli_fail(CLI_INTEGRITY,
		    "%s does not verify (%s): nothing saved", d->name,
		    stf1_err_name(e));
		goto fail;
	}
	if (s.io_err) {
		rc = cli_fail(CLI_LOCAL, "%s: %s", d->name, strerror(s.io_err));
		goto fail;
	}
	if ((rc = commit(d, tmp, s.fd)) != CLI_OK)
		goto fail;
	guard(-1, NULL);
	stf1_dec_free(s.dec);
	close(s.fd);
	return CLI_OK;
fail:
	stf1_dec_free(s.dec);
	close(s.fd);
	(void)unlinkat(d->dirfd, tmp, 0);
	guard(-1, NULL);
	return rc;
}
