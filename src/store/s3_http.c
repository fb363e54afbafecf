/* Requests to an S3-compatible store; see s3_http.h. */
#include "util/common.h"

#include <jansson.h>
#include <sodium.h>

#include "store/s3_http.h"
#include "store/s3_xml.h"
#include "util/backoff.h"
#include "util/config.h"
#include "util/log.h"

/* A store that is down fails every request: said once a minute each. */
static struct log_every fail_log = LOG_EVERY_INIT(60000);
static struct log_every refused_log = LOG_EVERY_INIT(60000);

/* Error answers are small XML documents; more than this is not one. */
#define ERROR_BODY_MAX 16384

static const char empty_sha256[] =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/* Reads "id\nsecret\n" from path into s; -1 logged (not the contents). */
static int
read_credentials(struct s3 *s, const char *path)
{
	char line[2][512];
	FILE *f = fopen(path, "re");
	int i, ok = 1;

	if (f == NULL) {
		log_error("cannot read store.s3_credentials_file", "{s:s,s:s}",
		    "path", path, "error", strerror(errno));
		return -1;
	}
	for (i = 0; i < 2 && ok; i++) {
		if (fgets(line[i], sizeof(line[i]), f) == NULL)
			ok = 0;
		else
			line[i][strcspn(line[i], "\r\n")] = '\0';
	}
	fclose(f);
	if (ok &&
	    (line[0][0] == '\0' || line[1][0] == '\0' ||
	        strchr(line[0], ':') != NULL))
		ok = 0;
	if (ok) {
		s->user = xstrdup(line[0]);
		s->secret = xstrdup(line[1]);
	}
	sodium_memzero(line, sizeof(line));
	if (!ok)
		log_error("store.s3_credentials_file: expected the access key "
		          "id on the first line and the secret on the second",
		    "{s:s}", "path", path);
	return ok ? 0 : -1;
}

int
s3_setup(struct s3 *s, const struct config *cfg)
{
	const char *e = cfg->store_s3_endpoint, *host = strstr(e, "://") + 3;
	struct buf b;

	memset(s, 0, sizeof(*s));
	buf_init(&b, 8192);
	/* Path style: <endpoint>/<bucket>/<key>; virtual-host style:
	 * <scheme>://<bucket>.<host>/<key> (the bucket is a DNS name). */
	if (strcmp(cfg->store_s3_url_style, "virtual") == 0)
		buf_printf(&b, "%.*s%s.%s", (int)(host - e), e,
		    cfg->store_s3_bucket, host);
	else
		buf_printf(&b, "%s/%s", e, cfg->store_s3_bucket);
	s->base = buf_detach(&b, NULL);
	buf_printf(&b, "aws:amz:%s:s3", cfg->store_s3_region);
	s->sigv4 = buf_detach(&b, NULL);
	s->part_size = (uint64_t)cfg->store_s3_part_size;
	s->timeout = (long)cfg->store_s3_timeout;
	pthread_mutex_init(&s->lock, NULL);
	if (cfg->store_s3_credentials_file[0] != '\0')
		return read_credentials(s, cfg->store_s3_credentials_file);
	s->user = xstrdup(cfg->store_s3_access_key);
	s->secret = xstrdup(cfg->store_s3_secret_key);
	return 0;
}

void
s3_teardown(struct s3 *s)
{
	int i;

	for (i = 0; i < s->nidle; i++)
		curl_easy_cleanup(s->idle[i]);
	s->nidle = 0;
	pthread_mutex_destroy(&s->lock);
	free(s->base);
	free(s->sigv4);
	if (s->user != NULL)
		free_secret(s->user, strlen(s->user));
	if (s->secret != NULL)
		free_secret(s->secret, strlen(s->secret));
}

/* A handle from the pool (its connections stay open) or a new one. */
static CURL *
handle_take(struct s3 *s)
{
	CURL *h = NULL;

	pthread_mutex_lock(&s->lock);
	if (s->nidle > 0)
		h = s->idle[--s->nidle];
	pthread_mutex_unlock(&s->lock);
	if (h == NULL && (h = curl_easy_init()) == NULL)
		fatal("curl_easy_init failed", NULL);
	return h;
}

void
s3_handle_put(struct s3 *s, CURL *h)
{
	if (h == NULL)
		return;
	/* Drop the credentials and callbacks; keep the connections. */
	curl_easy_reset(h);
	pthread_mutex_lock(&s->lock);
	if (s->nidle < S3_IDLE_MAX) {
		s->idle[s->nidle++] = h;
		h = NULL;
	}
	pthread_mutex_unlock(&s->lock);
	if (h != NULL)
		curl_easy_cleanup(h);
}

static void
hex_sha256(const void *p, size_t len, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	size_t i;

	crypto_hash_sha256(h, p, len);
	for (i = 0; i < sizeof(h); i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

/* The common options: URL, SigV4 with a payload hash, limits. */
static CURL *
setup(struct s3 *s, const char *method, const char *path, const char *query,
    const char *payload_sha256, struct curl_slist **hdrs)
{
	CURL *h = handle_take(s);
	struct buf url, hdr;

	buf_init(&url, 16384);
	buf_init(&hdr, 128);
	buf_printf(
	    &url, "%s/%s%s%s", s->base, path, query[0] ? "?" : "", query);
	buf_printf(&hdr, "x-amz-content-sha256: %s", payload_sha256);
	*hdrs = curl_slist_append(NULL, buf_str(&hdr));
	/* No 100-continue round trip; a type we choose, signed. */
	*hdrs = curl_slist_append(*hdrs, "Expect:");
	*hdrs = curl_slist_append(
	    *hdrs, "Content-Type: application/octet-stream");
	if (*hdrs == NULL)
		fatal("out of memory", NULL);
	curl_easy_setopt(h, CURLOPT_URL, buf_str(&url));
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, *hdrs);
	curl_easy_setopt(h, CURLOPT_AWS_SIGV4, s->sigv4);
	curl_easy_setopt(h, CURLOPT_USERNAME, s->user);
	curl_easy_setopt(h, CURLOPT_PASSWORD, s->secret);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	/* A transfer may be long (a part, a download); one that makes no
	 * progress for the timeout is dead. */
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, s->timeout);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	buf_release(&url);
	buf_release(&hdr);
	return h;
}

CURL *
s3_handle_get(struct s3 *s, const char *method, const char *path,
    const char *query, struct curl_slist **hdrs)
{
	return setup(s, method, path, query, empty_sha256, hdrs);
}

/* A success body goes where the caller wants it, an error body to err
 * (for its <Code>); the status is known once the headers are in. */
static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct s3_resp *r = arg;
	struct buf *b;
	long st = 0;

	(void)size;
	curl_easy_getinfo(r->h, CURLINFO_RESPONSE_CODE, &st);
	b = st >= 200 && st < 300 ? r->body : r->err;
	if (b == NULL)
		return n;
	return buf_add(b, p, n) == 0 ? n : 0;
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct s3_resp *r = arg;
	size_t v;

	(void)size;
	if (n > 5 && strncasecmp(p, "etag:", 5) == 0) {
		v = strspn(p + 5, " ") + 5;
		snprintf(r->etag, sizeof(r->etag), "%.*s",
		    (int)strcspn(p + v, "\r\n"), p + v);
	}
	return n;
}

int
s3_call(struct s3 *s, const char *method, const char *path, const char *query,
    const void *body, size_t len, struct s3_resp *r)
{
	struct curl_slist *hdrs = NULL;
	struct buf errbody;
	char sum[65];
	curl_off_t cl = -1;
	unsigned long repeats;
	CURLcode cc;
	CURL *h;

	hex_sha256(body != NULL ? body : "", body != NULL ? len : 0, sum);
	h = setup(s, method, path, query, sum, &hdrs);
	r->status = 0;
	r->etag[0] = r->code[0] = '\0';
	r->length = 0;
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	else if (body != NULL) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(
		    h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	}
	buf_init(&errbody, ERROR_BODY_MAX);
	r->h = h;
	r->err = &errbody;
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, r);
	cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl);
	r->length = cl > 0 ? (uint64_t)cl : 0;
	r->h = NULL;
	r->err = NULL;
	if (errbody.len > 0) {
		const char *p = errbody.data;

		if (s3_xml_next(&p, p + errbody.len, "Code", r->code,
		        sizeof(r->code)) == -1)
			r->code[0] = '\0';
	}
	buf_release(&errbody);
	curl_slist_free_all(hdrs);
	s3_handle_put(s, h);
	if (cc != CURLE_OK && cc != CURLE_WRITE_ERROR) {
		if (log_every_due(&fail_log, &repeats))
			log_warn("s3 request failed", "{s:s,s:s,s:s,s:I}",
			    "method", method, "path", path, "error",
			    curl_easy_strerror(cc), "repeats",
			    (json_int_t)repeats);
		errno = EIO;
		return -1;
	}
	if (cc == CURLE_WRITE_ERROR)
		r->status = 0; /* a body larger than expected: not trusted */
	return 0;
}

int
s3_fail(const struct s3_resp *r, const char *op, const char *path)
{
	unsigned long repeats;
	int e = EIO;

	if (r->status == 404)
		e = ENOENT;
	else if (r->status == 507 || strcmp(r->code, "QuotaExceeded") == 0 ||
	    strcmp(r->code, "EntityTooLarge") == 0)
		e = ENOSPC;
	else if (r->status == 403 || r->status == 401)
		e = EACCES;
	if (e != ENOENT && log_every_due(&refused_log, &repeats))
		log_warn("s3 answer refused", "{s:s,s:s,s:i,s:s,s:I}", "op", op,
		    "path", path, "status", (int)r->status, "code", r->code,
		    "repeats", (json_int_t)repeats);
	errno = e;
	return e;
}

int
s3_query_escape(const char *s, char *out, size_t outlen)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~') {
			if (o + 1 >= outlen)
				return -1;
			out[o++] = (char)c;
		} else {
			if (o + 3 >= outlen)
				return -1;
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	if (o >= outlen)
		return -1;
	out[o] = '\0';
	return 0;
}
