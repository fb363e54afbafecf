/*
 * The "smtp" mail transport: libcurl speaks SMTP, with STARTTLS required,
 * optional or off, and optional AUTH. 5xx answers are permanent; refused
 * connections, 4xx and timeouts are retried by the outbox.
 */
#include "util/common.h"

#include <curl/curl.h>

#include "notify/transport.h"
#include "util/config.h"

struct reader {
	const char *p;
	size_t left;
};

static size_t
read_cb(char *out, size_t size, size_t n, void *arg)
{
	struct reader *r = arg;
	size_t want = size * n, give = r->left < want ? r->left : want;

	memcpy(out, r->p, give);
	r->p += give;
	r->left -= give;
	return give;
}

static enum send_result
smtp_send(const struct config *cfg, const char *id, const char *from,
    const char *to, const char *msg, size_t len, char *reply, size_t replylen)
{
	struct reader rd = { msg, len };
	struct curl_slist *rcpt = NULL;
	char url[512], from_angle[400], to_angle[400];
	CURL *h;
	CURLcode rc;
	long code = 0;
	enum send_result res;

	ST_UNUSED(id);
	if ((h = curl_easy_init()) == NULL)
		return SEND_RETRY;
	snprintf(url, sizeof(url), "smtp://%s:%" PRId64, cfg->mail_smtp_host,
	    cfg->mail_smtp_port);
	snprintf(from_angle, sizeof(from_angle), "<%s>", from);
	snprintf(to_angle, sizeof(to_angle), "<%s>", to);
	rcpt = curl_slist_append(rcpt, to_angle);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from_angle);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, &rd);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	if (strcmp(cfg->mail_smtp_starttls, "required") == 0)
		curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	else if (strcmp(cfg->mail_smtp_starttls, "optional") == 0)
		curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	if (cfg->mail_smtp_user[0] != '\0') {
		curl_easy_setopt(h, CURLOPT_USERNAME, cfg->mail_smtp_user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, cfg->mail_smtp_password);
	}
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	if (rc == CURLE_OK) {
		snprintf(reply, replylen, "%ld accepted by %s", code,
		    cfg->mail_smtp_host);
		res = SEND_OK;
	} else {
		snprintf(
		    reply, replylen, "%ld %s", code, curl_easy_strerror(rc));
		res = code >= 500 && code < 600 ? SEND_FAIL : SEND_RETRY;
	}
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(h);
	return res;
}

const struct mail_transport mail_smtp_transport = { "smtp", smtp_send };
