/*
 * The "smtp" mail transport: libcurl speaks SMTP, with STARTTLS required,
 * optional or off, and optional AUTH. 5xx answers are permanent; 4xx are
 * retried by the outbox, refused connections and timeouts too, after it
 * backs off. The connection stays open between mails (one outbox worker
 * thread, one handle): curl_easy_perform returns at the relay's 250 for
 * the DATA, so the outbox records the mail right after it, before any
 * QUIT; smtp_idle closes it once nothing more is due.
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

/* The outbox worker's connection to the relay (one worker per process). */
static _Thread_local CURL *conn;

static void
smtp_idle(void)
{
	/* Sends QUIT on a connection that is still open. */
	curl_easy_cleanup(conn);
	conn = NULL;
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
	/* A reset keeps the open connection (libcurl's cache). */
	if (conn != NULL)
		curl_easy_reset(conn);
	else if ((conn = curl_easy_init()) == NULL)
		return SEND_UNREACHABLE;
	h = conn;
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
		res = code >= 500 && code < 600 ? SEND_FAIL :
		    code >= 400                 ? SEND_RETRY :
		                                  SEND_UNREACHABLE;
		/* Start the next mail on a fresh connection. */
		smtp_idle();
	}
	curl_slist_free_all(rcpt);
	return res;
}

const struct mail_transport mail_smtp_transport = { "smtp", smtp_send,
	smtp_idle };
