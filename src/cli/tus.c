/* tus uploads of STF1 ciphertext; see tus.h. */
#include "util/common.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/http.h"
#include "cli/session.h"
#include "cli/tus.h"
#include "envelope/stf1.h"
#include "envelope/stf1_enc.h"

#define READ_CHUNK (256u * 1024u)
#define OUT_CAP (READ_CHUNK + 4096u)

static const unsigned retry_delays[] = { 1, 2, 4, 8, 15, 30, 30, 30 };

/* The ciphertext of [from, to) of one file, made on demand. */
struct csrc {
	int fd;
	struct stf1_enc *e;
	uint64_t pt_pos, pt_end; /* plaintext still to read */
	int final; /* the range holds the last record */
	int finalised;
	uint64_t skip; /* output bytes before `from` */
	uint64_t left; /* bytes still to hand to curl */
	unsigned char *in, *out;
	size_t olen, ooff;
	EVP_MD_CTX *sha;
	int failed;
};

static uint64_t
ct_start(uint64_t rec, unsigned log2)
{
	return rec == 0 ?
	    0 :
	    STF1_HEADER_LEN + rec * ((UINT64_C(1) << log2) + STF1_TAG_LEN);
}

/* The record holding ciphertext byte off. */
static uint64_t
rec_of(uint64_t off, unsigned log2, uint64_t nrec)
{
	uint64_t r = off < STF1_HEADER_LEN ?
	    0 :
	    (off - STF1_HEADER_LEN) / ((UINT64_C(1) << log2) + STF1_TAG_LEN);

	return r < nrec ? r : nrec - 1;
}

static int
on_cipher(void *arg, const unsigned char *p, size_t len)
{
	struct csrc *s = arg;

	if (s->skip > 0) {
		size_t k = s->skip < len ? (size_t)s->skip : len;

		s->skip -= k;
		p += k;
		len -= k;
	}
	if (len == 0)
		return 0;
	if (s->olen + len > OUT_CAP)
		return -1;
	memcpy(s->out + s->olen, p, len);
	s->olen += len;
	return 0;
}

/* pread all of len bytes at off. */
static int
read_at(int fd, unsigned char *p, size_t len, uint64_t off)
{
	while (len > 0) {
		ssize_t r = pread(fd, p, len, (off_t)off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		len -= (size_t)r;
		off += (uint64_t)r;
	}
	return 0;
}

/* Produces more output; -1 on failure. */
static int
produce(struct csrc *s)
{
	size_t n;

	if (s->olen == s->ooff)
		s->olen = s->ooff = 0;
	if (s->pt_pos < s->pt_end) {
		n = s->pt_end - s->pt_pos < READ_CHUNK ?
		    (size_t)(s->pt_end - s->pt_pos) :
		    READ_CHUNK;
		if (read_at(s->fd, s->in, n, s->pt_pos) != 0 ||
		    EVP_DigestUpdate(s->sha, s->in, n) != 1 ||
		    stf1_enc_update(s->e, s->in, n) != STF1_OK)
			return -1;
		s->pt_pos += n;
		return 0;
	}
	if (s->final && !s->finalised) {
		s->finalised = 1;
		return stf1_enc_final(s->e) == STF1_OK ? 0 : -1;
	}
	return -1; /* nothing left to make, yet bytes are owed */
}

static long
csrc_read(void *arg, char *buf, size_t n)
{
	struct csrc *s = arg;
	size_t k;

	if (s->left == 0)
		return 0;
	while (s->olen == s->ooff)
		if (produce(s) != 0) {
			s->failed = 1;
			return -1;
		}
	k = s->olen - s->ooff;
	if (k > n)
		k = n;
	if (k > s->left)
		k = (size_t)s->left;
	memcpy(buf, s->out + s->ooff, k);
	s->ooff += k;
	s->left -= k;
	return (long)k;
}

/* SHA-256 of the plaintext behind ciphertext [from, to). */
static int
range_hash(int fd, const struct send_file *f, uint64_t from, uint64_t to,
    unsigned char out[32], unsigned char *buf)
{
	unsigned log2 = STF1_LOG2_DEFAULT;
	uint64_t nrec = stf1_record_count(f->size, log2),
	         R = UINT64_C(1) << log2;
	uint64_t ra = rec_of(from, log2, nrec), rb = rec_of(to - 1, log2, nrec);
	uint64_t pos = ra * R, end = (rb + 1) * R;
	EVP_MD_CTX *sha = EVP_MD_CTX_new();
	unsigned len = 0;
	int rc = -1;

	if (end > f->size)
		end = f->size;
	if (sha == NULL || EVP_DigestInit_ex(sha, EVP_sha256(), NULL) != 1)
		goto out;
	while (pos < end) {
		size_t n = end - pos < READ_CHUNK ? (size_t)(end - pos) :
		                                    READ_CHUNK;

		if (read_at(fd, buf, n, pos) != 0 ||
		    EVP_DigestUpdate(sha, buf, n) != 1)
			goto out;
		pos += n;
	}
	rc = EVP_DigestFinal_ex(sha, out, &len) == 1 ? 0 : -1;
out:
	EVP_MD_CTX_free(sha);
	return rc;
}

struct patch_progress {
	struct tus_job *j;
	uint64_t at;
};

static int
on_progress(void *arg, uint64_t sent)
{
	struct patch_progress *pp = arg;

	progress_set(pp->j->prog, pp->j->prog_base + pp->at + sent);
	return 0;
}

/* PATCH [from, to); *res holds the answer. -1 if the source failed. */
static int
patch(struct tus_job *j, int fd, const struct stf1_file *sf, uint64_t from,
    uint64_t to, const unsigned char want[32], struct http_res *res)
{
	unsigned log2 = sf->record_size_log2;
	uint64_t nrec = stf1_record_count(j->f->size, log2),
	         R = UINT64_C(1) << log2;
	uint64_t ra = rec_of(from, log2, nrec), rb = rec_of(to - 1, log2, nrec);
	struct csrc s = { 0 };
	struct patch_progress pp = { j, from };
	char path[64], off[48];
	unsigned char got[32];
	unsigned hl = 0;
	enum stf1_err err;
	struct http_req rq = { 0 };
	int rc = -1;

	s.fd = fd;
	s.pt_pos = ra * R;
	s.pt_end = (rb + 1) * R < j->f->size ? (rb + 1) * R : j->f->size;
	s.final = rb + 1 == nrec;
	s.skip = from - ct_start(ra, log2);
	s.left = to - from;
	s.in = xmalloc(READ_CHUNK);
	s.out = xmalloc(OUT_CAP);
	s.sha = EVP_MD_CTX_new();
	s.e = stf1_enc_new(j->k, sf, j->f->size, ra, on_cipher, &s, &err);
	memset(res, 0, sizeof(*res));
	if (s.e == NULL || s.sha == NULL ||
	    EVP_DigestInit_ex(s.sha, EVP_sha256(), NULL) != 1)
		goto out;
	snprintf(path, sizeof(path), "/api/v1/uploads/%s", j->f->id);
	snprintf(off, sizeof(off), "Upload-Offset: %" PRIu64, from);
	rq.method = "PATCH";
	rq.path = path;
	rq.ctype = "application/offset+octet-stream";
	rq.read = csrc_read;
	rq.read_arg = &s;
	rq.read_len = to - from;
	rq.progress = on_progress;
	rq.progress_arg = &pp;
	rq.headers[0] = "Tus-Resumable: 1.0.0";
	rq.headers[1] = off;
	http_do(cli_http(j->c), &rq, res);
	if (s.failed)
		goto out;
	/* The plaintext read for this PATCH must be what was hashed before
	 * it: otherwise the file changed under us (see sendstate.h). */
	while (s.pt_pos < s.pt_end) {
		size_t n = s.pt_end - s.pt_pos < READ_CHUNK ?
		    (size_t)(s.pt_end - s.pt_pos) :
		    READ_CHUNK;

		if (read_at(fd, s.in, n, s.pt_pos) != 0 ||
		    EVP_DigestUpdate(s.sha, s.in, n) != 1)
			goto out;
		s.pt_pos += n;
	}
	if (EVP_DigestFinal_ex(s.sha, got, &hl) == 1 &&
	    sodium_memcmp(got, want, 32) == 0)
		rc = 0;
out:
	stf1_enc_free(s.e);
	EVP_MD_CTX_free(s.sha);
	free(s.in);
	free(s.out);
	return rc;
}

/* HEAD: the server's offset. An exit code; *retry for transient ones. */
static int
head(struct tus_job *j, uint64_t *offset, int *retry)
{
	struct http_req rq = { .method = "HEAD" };
	struct http_res r;
	char path[64], msg[300];
	int code;

	snprintf(path, sizeof(path), "/api/v1/uploads/%s", j->f->id);
	rq.path = path;
	rq.headers[0] = "Tus-Resumable: 1.0.0";
	http_do(cli_http(j->c), &rq, &r);
	*retry = 0;
	if (r.status == 200 && r.has_offset && r.upload_offset <= j->f->csize) {
		*offset = r.upload_offset;
		http_res_release(&r);
		return CLI_OK;
	}
	code = http_exit_code(&r);
	*retry = code == CLI_NETWORK || r.status == 409;
	if (!*retry)
		cli_fail(code ? code : CLI_REFUSED, "%s: %s", j->f->name,
		    http_describe(&r, msg, sizeof(msg)));
	http_res_release(&r);
	return code ? code : CLI_REFUSED;
}

/* A new upload attempt: a new salt, saved first, then tus creation. */
static int
create(struct tus_job *j)
{
	struct http_req rq = { .method = "POST", .path = "/api/v1/uploads" };
	struct http_res r;
	char len[48], meta[80], b64[40], msg[300];
	int code;

	randombytes_buf(j->f->salt, sizeof(j->f->salt));
	j->f->has_salt = 1;
	j->f->has_pending = 0;
	if (sendstate_save(j->st) != 0)
		return cli_fail(CLI_LOCAL, "cannot write %s", j->st->path);
	sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)j->f->id,
	    RAND_ID_LEN, sodium_base64_VARIANT_ORIGINAL);
	snprintf(len, sizeof(len), "Upload-Length: %" PRIu64, j->f->csize);
	snprintf(meta, sizeof(meta), "Upload-Metadata: file_id %s", b64);
	rq.headers[0] = "Tus-Resumable: 1.0.0";
	rq.headers[1] = len;
	rq.headers[2] = meta;
	/* Safe to repeat: a creation (re)starts the file's upload at 0,
	 * under the salt saved above, under which nothing was sent yet. */
	http_do_retry(cli_http(j->c), &rq, &r, NULL);
	code = r.status == 201 ? CLI_OK : http_exit_code(&r);
	if (code != CLI_OK)
		cli_fail(code, "%s: %s", j->f->name,
		    http_describe(&r, msg, sizeof(msg)));
	http_res_release(&r);
	return code;
}

/* Whether the salt of an earlier attempt may be used from offset o. */
static int
salt_reusable(struct tus_job *j, int fd, uint64_t o, unsigned char *buf)
{
	struct send_file *f = j->f;
	unsigned char h[32];

	if (!f->has_salt)
		return 0;
	if (!f->has_pending) /* nothing was ever sent under it */
		return o == 0;
	if (o < f->pend_from || o > f->pend_to)
		return 0;
	return range_hash(fd, f, f->pend_from, f->pend_to, h, buf) == 0 &&
	    sodium_memcmp(h, f->pend_hash, 32) == 0;
}

static void
taint(struct tus_job *j)
{
	/* Never again under this salt: the next attempt starts afresh. */
	j->f->has_salt = 0;
	j->f->has_pending = 0;
	(void)sendstate_save(j->st);
}

/* The PATCH loop from offset o. An exit code. */
static int
upload_from(struct tus_job *j, int fd, const struct stf1_file *sf, uint64_t o,
    unsigned char *buf)
{
	struct send_file *f = j->f;
	struct http_res r;
	unsigned tries = 0;
	unsigned char h[32];
	char msg[300];
	int rc, retry;

	while (o < f->csize) {
		uint64_t to = f->csize - o < j->chunk ? f->csize : o + j->chunk;

		if (range_hash(fd, f, o, to, h, buf) != 0)
			return cli_fail(CLI_LOCAL, "cannot read %s", f->path);
		/* A retry re-sends bytes sent before: same plaintext only. */
		if (f->has_pending && o < f->pend_to &&
		    !salt_reusable(j, fd, o, buf)) {
			taint(j);
			return cli_fail(CLI_LOCAL,
			    "%s changed while it was being sent", f->path);
		}
		f->pend_from = o;
		f->pend_to = to;
		memcpy(f->pend_hash, h, 32);
		f->has_pending = 1;
		if (sendstate_save(j->st) != 0)
			return cli_fail(
			    CLI_LOCAL, "cannot write %s", j->st->path);
		if (patch(j, fd, sf, o, to, h, &r) != 0) {
			http_res_release(&r);
			taint(j);
			return cli_fail(CLI_LOCAL,
			    "%s changed while it was being sent", f->path);
		}
		if (r.status == 204 && r.has_offset &&
		    r.upload_offset <= f->csize) {
			o = r.upload_offset;
			tries = 0;
			http_res_release(&r);
			continue;
		}
		rc = http_exit_code(&r);
		if (r.status == 401) {
			http_res_release(&r);
			if ((rc = session_require(j->c)) != CLI_OK)
				return rc;
		} else if (r.status == 409 && strcmp(r.code, "upload_busy") &&
		    strcmp(r.code, "offset_mismatch")) {
			cli_fail(CLI_REFUSED, "%s: %s", f->name,
			    http_describe(&r, msg, sizeof(msg)));
			http_res_release(&r);
			return CLI_REFUSED;
		} else if (rc != CLI_NETWORK && r.status != 409) {
			cli_fail(rc, "%s: %s", f->name,
			    http_describe(&r, msg, sizeof(msg)));
			http_res_release(&r);
			return rc;
		} else {
			if (tries >= ST_ARRAY_LEN(retry_delays)) {
				cli_fail(rc ? rc : CLI_NETWORK,
				    "%s: giving up: %s; 'securetransfer send "
				    "--resume %s' continues",
				    f->name,
				    http_describe(&r, msg, sizeof(msg)),
				    j->st->msg_id);
				http_res_release(&r);
				return rc ? rc : CLI_NETWORK;
			}
			if (r.status != 409 ||
			    strcmp(r.code, "offset_mismatch"))
				sleep(retry_delays[tries++]);
			http_res_release(&r);
		}
		/* Where the server is now. */
		while ((rc = head(j, &o, &retry)) != CLI_OK) {
			if (!retry)
				return rc;
			if (tries >= ST_ARRAY_LEN(retry_delays))
				return cli_fail(rc,
				    "%s: the server does not answer; "
				    "'securetransfer send --resume %s' "
				    "continues",
				    f->name, j->st->msg_id);
			sleep(retry_delays[tries++]);
		}
	}
	return CLI_OK;
}

int
tus_upload(struct tus_job *j)
{
	struct send_file *f = j->f;
	struct stf1_file sf = { 0 };
	unsigned char header[STF1_HEADER_LEN], hs[32], *buf;
	uint64_t o = 0;
	struct stat stb;
	int fd, rc, retry;

	if ((fd = open(f->path, O_RDONLY | O_CLOEXEC)) == -1)
		return cli_fail(
		    CLI_LOCAL, "cannot open %s: %s", f->path, strerror(errno));
	buf = xmalloc(READ_CHUNK);
	if (fstat(fd, &stb) != 0 || (uint64_t)stb.st_size != f->size) {
		rc = cli_fail(CLI_LOCAL,
		    "%s is not the size it had when the message was made",
		    f->path);
		goto out;
	}
	progress_label(j->prog, f->name);
	if (f->has_salt) {
		while ((rc = head(j, &o, &retry)) != CLI_OK)
			if (!retry)
				goto out;
			else
				sleep(2);
	}
	if (!salt_reusable(j, fd, o, buf)) {
		if ((rc = create(j)) != CLI_OK)
			goto out;
		o = 0;
	} else if (o > 0)
		cli_note(j->c, "%s: resuming at byte %" PRIu64 " of %" PRIu64,
		    f->name, o, f->csize);
	progress_skip(j->prog, o);
	memcpy(sf.msg_id, j->msg_id, 16);
	sf.file_index = j->index;
	memcpy(sf.salt, f->salt, 32);
	sf.record_size_log2 = STF1_LOG2_DEFAULT;
	if ((rc = upload_from(j, fd, &sf, o, buf)) != CLI_OK)
		goto out;
	if (stf1_header_build(header, j->k, &sf) != STF1_OK ||
	    EVP_Digest(header, sizeof(header), hs, NULL, EVP_sha256(), NULL) !=
	        1) {
		rc = cli_fail(CLI_LOCAL, "libcrypto failed");
		goto out;
	}
	b64u_encode(f->header_sha256, sizeof(f->header_sha256), hs, 32);
	f->done = 1;
	f->has_pending = 0;
	if (sendstate_save(j->st) != 0)
		rc = cli_fail(CLI_LOCAL, "cannot write %s", j->st->path);
out:
	free(buf);
	close(fd);
	return rc;
}
