/*
 * The "http" SMS transport: one call to a gateway's web API with libcurl
 * (MessageBird/Bird, CM.com, Spryng and the like). The body is the
 * sms.http_body template with {to} (+316...), {msisdn} (316...), {text}
 * and {id} (the outbox id, the same on every retry) filled in, escaped for
 * the content type: JSON string escapes for application/json (and
 * +json), percent-encoding for application/x-www-form-urlencoded, as is
 * otherwise. TLS is always verified. A status in sms.http_success is
 * delivered; 5xx, 408, 429, timeouts and connection errors are retried by
 * the outbox; any other answer fails the SMS. The reply recorded is the
 * status only: a gateway may echo the text, which holds the code.
 */
#include "util/common.h"

#include <ctype.h>
#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>

#include "notify/sms.h"
#include "notify/transport.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/num.h"

#define BODY_MAX (64u << 10)
#define HEADER_MAX 4200

enum body_escape { ESC_NONE, ESC_JSON, ESC_FORM };

static enum body_escape
escape_for(const char *content_type)
{
	size_t n = strcspn(content_type, "; ");

	if ((n == 16 &&
	        strncasecmp(content_type, "application/json", n) == 0) ||
	    (n > 5 && strncasecmp(content_type + n - 5, "+json", 5) == 0))
		return ESC_JSON;
	if (n == 33 &&
	    strncasecmp(content_type, "application/x-www-form-urlencoded", n) ==
	        0)
		return ESC_FORM;
	return ESC_NONE;
}

/* v as the inside of a JSON string; -1 when v is not UTF-8. */
static int
add_json(struct buf *b, const char *v)
{
	json_t *s = json_string(v);
	char *q;
	size_t n;
	int rc;

	if (s == NULL)
		return -1;
	q = json_dumps(s, JSON_ENCODE_ANY | JSON_COMPACT);
	json_decref(s);
	if (q == NULL)
		return -1;
	n = strlen(q);
	rc = n >= 2 ? buf_add(b, q + 1, n - 2) : -1; /* without the quotes */
	free_secret(q, n);
	return rc;
}

static int
add_form(struct buf *b, const char *v)
{
	static const char hex[] = "0123456789ABCDEF";
	int rc = 0;

	for (; *v != '\0'; v++) {
		unsigned char c = (unsigned char)*v;

		if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
			rc |= buf_addc(b, (char)c);
		else if (c == ' ')
			rc |= buf_addc(b, '+');
		else {
			char pct[3] = { '%', hex[c >> 4], hex[c & 15] };

			rc |= buf_add(b, pct, sizeof(pct));
		}
	}
	return rc;
}

static int
add_value(struct buf *b, enum body_escape esc, const char *v)
{
	if (esc == ESC_JSON)
		return add_json(b, v);
	if (esc == ESC_FORM)
		return add_form(b, v);
	return buf_adds(b, v);
}

/* The filled-in body template; -1 when too long or a value is not UTF-8. */
static int
build_body(const struct config *cfg, const char *id, const char *to,
    const char *text, struct buf *b)
{
	enum body_escape esc = escape_for(cfg->sms_http_content_type);
	const char *p = cfg->sms_http_body;
	static const char *const names[] = { "{to}", "{msisdn}", "{text}",
		"{id}" };
	const char *values[] = { to, to + 1, text, id };
	size_t i;
	int rc = 0;

	while (*p != '\0' && rc == 0) {
		for (i = 0; i < ST_ARRAY_LEN(names); i++)
			if (strncmp(p, names[i], strlen(names[i])) == 0)
				break;
		if (i < ST_ARRAY_LEN(names)) {
			rc = add_value(b, esc, values[i]);
			p += strlen(names[i]);
		} else
			rc = buf_addc(b, *p++);
	}
	return rc;
}

/* 1 when code is in the comma-separated list (checked by the config). */
static int
status_listed(const char *list, long code)
{
	uint64_t v;
	char one[8];
	size_t n;

	while (*list != '\0') {
		list += strspn(list, ", ");
		n = strcspn(list, ", ");
		if (n > 0 && n < sizeof(one)) {
			memcpy(one, list, n);
			one[n] = '\0';
			if (num_parse_u64(one, 100, 599, &v) == 0 &&
			    (long)v == code)
				return 1;
		}
		list += n;
	}
	return 0;
}

static size_t
discard_cb(char *p, size_t size, size_t n, void *arg)
{
	ST_UNUSED(p);
	ST_UNUSED(arg);
	return size * n;
}

static enum send_result
classify(const struct config *cfg, CURLcode rc, long code)
{
	if (rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL)
		return SEND_FAIL;
	if (rc != CURLE_OK)
		return SEND_UNREACHABLE; /* refused, timed out, TLS, reset */
	if (status_listed(cfg->sms_http_success, code))
		return SEND_OK;
	if (code >= 500 || code == 429)
		return SEND_UNREACHABLE; /* the gateway, not this SMS */
	if (code == 408)
		return SEND_RETRY;
	return SEND_FAIL;
}

/* The list held the gateway credential: wiped before it is freed. */
static void
free_headers(struct curl_slist *hdrs)
{
	struct curl_slist *l;

	for (l = hdrs; l != NULL; l = l->next)
		sodium_memzero(l->data, strlen(l->data));
	curl_slist_free_all(hdrs);
}

static enum send_result
http_send(const struct config *cfg, const char *id, const char *to,
    const char *text, char *reply, size_t replylen)
{
	struct curl_slist *hdrs = NULL;
	char ctype[HEADER_MAX];
	struct buf body;
	CURL *h = NULL;
	CURLcode rc = CURLE_OK;
	long code = 0;
	enum send_result res = SEND_RETRY;

	buf_init(&body, BODY_MAX);
	if (!sms_number_valid(to) ||
	    build_body(cfg, id, to, text, &body) == -1) {
		snprintf(reply, replylen, "sms could not be composed");
		res = SEND_FAIL;
		goto out;
	}
	if ((h = curl_easy_init()) == NULL) {
		snprintf(reply, replylen, "curl_easy_init failed");
		goto out;
	}
	snprintf(ctype, sizeof(ctype), "Content-Type: %s",
	    cfg->sms_http_content_type);
	hdrs = curl_slist_append(hdrs, ctype);
	hdrs = curl_slist_append(hdrs, "Expect:");
	if (cfg->sms_http_auth_header[0] != '\0')
		hdrs = curl_slist_append(hdrs, cfg->sms_http_auth_header);
	curl_easy_setopt(h, CURLOPT_URL, cfg->sms_http_url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, buf_str(&body));
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body.len);
	if (strcmp(cfg->sms_http_method, "PUT") == 0)
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "PUT");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard_cb);
	curl_easy_setopt(
	    h, CURLOPT_CONNECTTIMEOUT, (long)cfg->sms_http_timeout);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)cfg->sms_http_timeout);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "securetransferd/" ST_VERSION);
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	res = classify(cfg, rc, code);
	if (rc == CURLE_OK)
		snprintf(reply, replylen, "gateway answered HTTP %ld", code);
	else
		snprintf(
		    reply, replylen, "gateway: %s", curl_easy_strerror(rc));
out:
	curl_easy_cleanup(h);
	free_headers(hdrs);
	buf_release_secret(&body);
	return res;
}

const struct sms_transport sms_http_transport = { "http", http_send };
