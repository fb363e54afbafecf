/*
 * The "log" SMS transport, for development: each SMS becomes one JSON
 * line {"at":unix,"to":"+316...","text":"..."} appended to sms.log_path
 * (mode 0600, O_APPEND, fsynced). This is the only place a code is ever
 * written down; sms.transport = http in production.
 */
#include "util/common.h"

#include <fcntl.h>
#include <jansson.h>
#include <sys/stat.h>
#include <unistd.h>

#include "notify/transport.h"
#include "util/clock.h"
#include "util/config.h"

static enum send_result
log_send(const struct config *cfg, const char *id, const char *to,
    const char *text, char *reply, size_t replylen)
{
	json_t *doc;
	char *line;
	size_t len;
	ssize_t n;
	int fd, err;

	ST_UNUSED(id);
	doc = json_pack("{s:I,s:s,s:s}", "at", (json_int_t)clock_now(), "to",
	    to, "text", text);
	line = doc != NULL ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	if (line == NULL) {
		snprintf(reply, replylen, "sms log: text is not UTF-8");
		return SEND_FAIL;
	}
	len = strlen(line);
	line[len] = '\n'; /* json_dumps' NUL: one write holds the line */
	fd = open(cfg->sms_log_path,
	    O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd == -1)
		goto fail;
	/* One write with O_APPEND: lines of concurrent writers never mix. */
	n = fchmod(fd, 0600) == -1 ? -1 : write(fd, line, len + 1);
	if (n >= 0 && n != (ssize_t)(len + 1))
		errno = EIO; /* a short write: disk full */
	if (n != (ssize_t)(len + 1) || fsync(fd) == -1) {
		err = errno;
		close(fd);
		errno = err;
		goto fail;
	}
	if (close(fd) == -1)
		goto fail;
	free_secret(line, len + 1);
	/* A token the reports put in words (report_reply). */
	snprintf(reply, replylen, "250 st:log");
	return SEND_OK;
fail:
	free_secret(line, len + 1);
	snprintf(reply, replylen, "sms log: %s", strerror(errno));
	return SEND_RETRY;
}

const struct sms_transport sms_log_transport = { "log", log_send };
