/* The CLI's HTTP client; see http.h. */
#include "util/common.h"

#include <ctype.h>
#include <strings.h>
#include <unistd.h>

#include "cli/exit.h"
#include "cli/http.h"
#include "util/num.h"

#define CSRF_MAX 128

struct http {
	CURL *curl;
	char *base; /* no trailing slash */
	char *origin; /* scheme://authority */
	char *ca_file;
	char csrf[CSRF_MAX];
};

/* Per request: what the callbacks need. */
struct xfer {
	struct http *h;
	const struct http_req *rq;
	struct http_res *res;
	int sink_failed;
};

struct http *
http_new(const char *base, const char *ca_file)
{
	struct http *h = xcalloc(1, sizeof(*h));
	const char *auth = strstr(base, "://");
	size_t n = strlen(base), on;

	while (n > 0 && base[n - 1] == '/')
		n--;
	h->base = xstrndup(base, n);
	on = auth != NULL ? (size_t)(auth + 3 - base) : 0;
	while (on < n && base[on] != '/')
		on++;
	h->origin = xstrndup(base, on);
	h->ca_file = ca_file != NULL && *ca_file ? xstrdup(ca_file) : NULL;
	if ((h->curl = curl_easy_init()) == NULL) {
		fprintf(stderr, "securetransfer: libcurl failed to start\n");
		exit(CLI_LOCAL);
	}
	curl_easy_setopt(h->curl, CURLOPT_COOKIEFILE, "");
	return h;
}

void
http_free(struct http *h)
{
	if (h == NULL)
		return;
	curl_easy_cleanup(h->curl);
	free(h->base);
	free(h->origin);
	free(h->ca_file);
	memset(h->csrf, 0, sizeof(h->csrf));
	free(h);
}

const char *
http_base(const struct http *h)
{
	return h->base;
}

void
http_set_csrf(struct http *h, const char *token)
{
	snprintf(h->csrf, sizeof(h->csrf), "%s", token != NULL ? token : "");
}

const char *
http_csrf(const struct http *h)
{
	return h->csrf;
}

json_t *
http_cookies(struct http *h)
{
	struct curl_slist *list = NULL, *p;
	json_t *arr = json_array();

	if (curl_easy_getinfo(h->curl, CURLINFO_COOKIELIST, &list) != CURLE_OK)
		return arr;
	for (p = list; p != NULL; p = p->next)
		json_array_append_new(arr, json_string(p->data));
	curl_slist_free_all(list);
	return arr;
}

void
http_set_cookies(struct http *h, const json_t *lines)
{
	size_t i;
	json_t *v;

	json_array_foreach(lines, i, v)
	{
		if (json_is_string(v))
			curl_easy_setopt(
			    h->curl, CURLOPT_COOKIELIST, json_string_value(v));
	}
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n, k, vlen;
	const char *v;
	uint64_t num;

	v = memchr(p, ':', len);
	if (v == NULL)
		return len;
	k = (size_t)(v - p);
	for (v++; v < p + len && (*v == ' ' || *v == '\t'); v++)
		;
	vlen = (size_t)(p + len - v);
	while (vlen > 0 && isspace((unsigned char)v[vlen - 1]))
		vlen--;
	if (k == 13 && strncasecmp(p, "Upload-Offset", k) == 0 &&
	    num_parse_u64n(v, vlen, 0, UINT64_MAX, &num) == 0) {
		x->res->upload_offset = num;
		x->res->has_offset = 1;
	} else if (k == 11 && strncasecmp(p, "Retry-After", k) == 0 &&
	    num_parse_u64n(v, vlen, 0, 86400, &num) == 0) {
		x->res->retry_after = (long)num;
	} else if (k == 13 && strncasecmp(p, "Content-Range", k) == 0 &&
	    vlen > 6 && strncasecmp(v, "bytes ", 6) == 0) {
		const char *d = memchr(v + 6, '-', vlen - 6);

		if (d != NULL &&
		    num_parse_u64n(
		        v + 6, (size_t)(d - v - 6), 0, UINT64_MAX, &num) == 0) {
			x->res->range_start = num;
			x->res->has_range = 1;
		}
	}
	return len;
}

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n;
	long status = 0;

	curl_easy_getinfo(x->h->curl, CURLINFO_RESPONSE_CODE, &status);
	if (x->rq->write != NULL && status >= 200 && status < 300) {
		if (x->rq->write(x->rq->write_arg, p, len) != 0) {
			x->sink_failed = 1;
			return 0;
		}
		return len;
	}
	return buf_add(&x->res->body, p, len) == 0 ? len : 0;
}

static size_t
on_read(char *p, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	long got = x->rq->read(x->rq->read_arg, p, size * n);

	return got < 0 ? CURL_READFUNC_ABORT : (size_t)got;
}

static int
on_progress(
    void *arg, curl_off_t dlt, curl_off_t dln, curl_off_t ult, curl_off_t uln)
{
	struct xfer *x = arg;

	ST_UNUSED(dlt);
	ST_UNUSED(dln);
	ST_UNUSED(ult);
	if (x->rq->progress != NULL &&
	    x->rq->progress(x->rq->progress_arg, (uint64_t)uln) != 0)
		return 1;
	return 0;
}

static int
mutating(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/* Fetches a CSRF token (GET /api/v1/session) unless one is known. */
static int
ensure_csrf(struct http *h, struct http_res *res)
{
	struct http_res r;
	const char *tok;
	int rc;

	if (h->csrf[0] != '\0')
		return 0;
	rc = http_get(h, "/api/v1/session", &r);
	tok = json_string_value(json_object_get(r.json, "csrf"));
	if (rc == 0 && r.status == 200 && tok != NULL) {
		http_set_csrf(h, tok);
		http_res_release(&r);
		return 0;
	}
	*res = r; /* the caller reports what went wrong */
	return rc == 0 ? 1 : -1;
}

static void
parse_error(struct http_res *res)
{
	json_t *err;
	const char *s;

	if (res->body.len == 0)
		return;
	res->json = json_loadb(res->body.data, res->body.len, 0, NULL);
	err = json_object_get(res->json, "error");
	if ((s = json_string_value(json_object_get(err, "code"))) != NULL)
		snprintf(res->code, sizeof(res->code), "%s", s);
	if ((s = json_string_value(json_object_get(err, "message"))) != NULL)
		snprintf(res->message, sizeof(res->message), "%s", s);
}

static void
res_init(struct http_res *res)
{
	memset(res, 0, sizeof(*res));
	buf_init(&res->body, HTTP_BODY_MAX);
	res->retry_after = -1;
}

static struct curl_slist *
build_headers(struct http *h, const struct http_req *rq, char **json_text)
{
	struct curl_slist *hl = NULL;
	char line[300];
	size_t i;

	hl = curl_slist_append(hl, "Accept: application/json");
	hl = curl_slist_append(hl, "Expect:");
	snprintf(line, sizeof(line), "Origin: %s", h->origin);
	hl = curl_slist_append(hl, line);
	if (mutating(rq->method) && h->csrf[0] != '\0') {
		snprintf(line, sizeof(line), "X-CSRF-Token: %s", h->csrf);
		hl = curl_slist_append(hl, line);
	}
	if (rq->json != NULL) {
		*json_text = json_dumps(rq->json, JSON_COMPACT);
		hl = curl_slist_append(hl, "Content-Type: application/json");
	} else if (rq->ctype != NULL) {
		snprintf(line, sizeof(line), "Content-Type: %s", rq->ctype);
		hl = curl_slist_append(hl, line);
	} else {
		/* No body: no form type from libcurl either. */
		hl = curl_slist_append(hl, "Content-Type:");
	}
	for (i = 0; i < ST_ARRAY_LEN(rq->headers) && rq->headers[i]; i++)
		hl = curl_slist_append(hl, rq->headers[i]);
	return hl;
}

static void
set_body(CURL *cu, const struct http_req *rq, const char *json_text)
{
	if (rq->read != NULL) {
		curl_easy_setopt(cu, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(
		    cu, CURLOPT_INFILESIZE_LARGE, (curl_off_t)rq->read_len);
		curl_easy_setopt(cu, CURLOPT_READFUNCTION, on_read);
	} else if (json_text != NULL || rq->body != NULL) {
		curl_easy_setopt(cu, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)(json_text ? strlen(json_text) : rq->body_len));
		curl_easy_setopt(cu, CURLOPT_POSTFIELDS,
		    json_text ? json_text : (const char *)rq->body);
	} else if (strcmp(rq->method, "GET") == 0) {
		curl_easy_setopt(cu, CURLOPT_HTTPGET, 1L);
	} else if (strcmp(rq->method, "HEAD") == 0) {
		curl_easy_setopt(cu, CURLOPT_NOBODY, 1L);
	} else {
		curl_easy_setopt(cu, CURLOPT_POSTFIELDSIZE, 0L);
		curl_easy_setopt(cu, CURLOPT_POSTFIELDS, "");
	}
	if (strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "HEAD") != 0 &&
	    !(strcmp(rq->method, "POST") == 0 && rq->read == NULL))
		curl_easy_setopt(cu, CURLOPT_CUSTOMREQUEST, rq->method);
}

static int
perform(struct http *h, const struct http_req *rq, struct http_res *res)
{
	CURL *cu = h->curl;
	struct xfer x = { h, rq, res, 0 };
	struct curl_slist *hl;
	char *json_text = NULL, *url, range[48];
	CURLcode cc;
	size_t ul;

	/* No curl_easy_reset: it would stop the cookie engine. What the
	 * previous request set is put back to the defaults instead. */
	curl_easy_setopt(cu, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(cu, CURLOPT_CUSTOMREQUEST, NULL);
	curl_easy_setopt(cu, CURLOPT_UPLOAD, 0L);
	curl_easy_setopt(cu, CURLOPT_NOBODY, 0L);
	curl_easy_setopt(cu, CURLOPT_RANGE, NULL);
	curl_easy_setopt(cu, CURLOPT_INFILESIZE_LARGE, (curl_off_t)-1);
	curl_easy_setopt(cu, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)-1);
	curl_easy_setopt(cu, CURLOPT_POSTFIELDS, NULL);
	ul = strlen(h->base) + strlen(rq->path) + 1;
	url = xmalloc(ul);
	snprintf(url, ul, "%s%s", h->base, rq->path);
	curl_easy_setopt(cu, CURLOPT_URL, url);
	curl_easy_setopt(cu, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(cu, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(cu, CURLOPT_CONNECTTIMEOUT, 20L);
	curl_easy_setopt(cu, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(cu, CURLOPT_LOW_SPEED_TIME, 120L);
	curl_easy_setopt(cu, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(cu, CURLOPT_USERAGENT, "securetransfer/" ST_VERSION);
	curl_easy_setopt(cu, CURLOPT_ERRORBUFFER, res->neterr);
	if (h->ca_file != NULL)
		curl_easy_setopt(cu, CURLOPT_CAINFO, h->ca_file);
	hl = build_headers(h, rq, &json_text);
	curl_easy_setopt(cu, CURLOPT_HTTPHEADER, hl);
	set_body(cu, rq, json_text);
	curl_easy_setopt(cu, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(cu, CURLOPT_HEADERDATA, &x);
	curl_easy_setopt(cu, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(cu, CURLOPT_WRITEDATA, &x);
	curl_easy_setopt(cu, CURLOPT_READDATA, &x);
	curl_easy_setopt(cu, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(cu, CURLOPT_XFERINFODATA, &x);
	curl_easy_setopt(cu, CURLOPT_NOPROGRESS, 0L);
	if (rq->has_range) {
		snprintf(range, sizeof(range), "%" PRIu64 "-", rq->range_from);
		curl_easy_setopt(cu, CURLOPT_RANGE, range);
	}
	cc = curl_easy_perform(cu);
	curl_slist_free_all(hl);
	free(json_text);
	free(url);
	if (cc != CURLE_OK) {
		if (res->neterr[0] == '\0' || x.sink_failed)
			snprintf(res->neterr, sizeof(res->neterr), "%s",
			    x.sink_failed ? "stopped" : curl_easy_strerror(cc));
		res->status = 0;
		return -1;
	}
	curl_easy_getinfo(cu, CURLINFO_RESPONSE_CODE, &res->status);
	parse_error(res);
	return 0;
}

int
http_do(struct http *h, const struct http_req *rq, struct http_res *res)
{
	int rc;

	if (mutating(rq->method) && (rc = ensure_csrf(h, res)) != 0)
		return rc > 0 ? 0 : -1;
	res_init(res);
	rc = perform(h, rq, res);
	/* A token the server rotated (a login elsewhere): fetch it again. */
	if (rc == 0 && res->status == 403 && strcmp(res->code, "csrf") == 0 &&
	    rq->read == NULL) {
		http_res_release(res);
		h->csrf[0] = '\0';
		if ((rc = ensure_csrf(h, res)) != 0)
			return rc > 0 ? 0 : -1;
		res_init(res);
		rc = perform(h, rq, res);
	}
	return rc;
}

/* About two minutes in all (the manual page's promise). */
static const unsigned retry_delays[] = { 1, 2, 4, 8, 15, 30, 30, 30 };

static int
transient(const struct http_res *res)
{
	return res->status == 0 || res->status == 502 || res->status == 503 ||
	    res->status == 504;
}

int
http_do_retry(struct http *h, const struct http_req *rq, struct http_res *res,
    int *retried)
{
	unsigned wait;
	size_t tries;
	int rc = 0;

	if (retried != NULL)
		*retried = 0;
	for (tries = 0;; tries++) {
		rc = http_do(h, rq, res);
		if (!transient(res) || tries == ST_ARRAY_LEN(retry_delays))
			return rc;
		wait = retry_delays[tries];
		if (res->retry_after > 0 && res->retry_after <= 30)
			wait = (unsigned)res->retry_after;
		http_res_release(res);
		sleep(wait);
		if (retried != NULL)
			*retried = 1;
	}
}

void
http_res_release(struct http_res *res)
{
	buf_release(&res->body);
	json_decref(res->json);
	res->json = NULL;
}

int
http_get(struct http *h, const char *path, struct http_res *res)
{
	struct http_req rq = { .method = "GET", .path = path };

	return http_do(h, &rq, res);
}

int
http_post(struct http *h, const char *path, json_t *body, struct http_res *res)
{
	struct http_req rq = { .method = "POST", .path = path, .json = body };

	return http_do(h, &rq, res);
}

int
http_exit_code(const struct http_res *res)
{
	if (res->status == 0)
		return CLI_NETWORK;
	if (res->status >= 200 && res->status < 300)
		return CLI_OK;
	if (res->status == 401 || res->status == 423)
		return CLI_AUTH;
	if (res->status >= 500 && res->status != 507)
		return CLI_NETWORK;
	return CLI_REFUSED;
}

const char *
http_describe(const struct http_res *res, char *out, size_t len)
{
	if (res->status == 0)
		snprintf(out, len, "no answer from the server: %s",
		    res->neterr[0] ? res->neterr : "network error");
	else if (res->code[0] != '\0')
		snprintf(out, len, "the server answered %ld %s: %s",
		    res->status, res->code, res->message);
	else
		snprintf(out, len, "the server answered HTTP %ld", res->status);
	return out;
}
