/*
 * The "file" mail transport: each mail becomes <dir>/<id>.eml, written to
 * a temporary name, fsynced and renamed, so a reader never sees half a
 * mail and a retry after a crash overwrites the same file.
 */
#include "util/common.h"

#include <fcntl.h>
#include <unistd.h>

#include "notify/transport.h"
#include "util/config.h"
#include "util/fsutil.h"

static enum send_result
file_send(const struct config *cfg, const char *id, const char *from,
    const char *to, const char *msg, size_t len, char *reply, size_t replylen)
{
	char tmp[4096], path[4096];
	size_t off = 0;
	int fd;

	ST_UNUSED(from);
	ST_UNUSED(to);
	/* A path cut short is another file (and fail: unlinks tmp): refuse. */
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", cfg->mail_dir,
	        id) >= sizeof(tmp) ||
	    (size_t)snprintf(path, sizeof(path), "%s/%s.eml", cfg->mail_dir,
	        id) >= sizeof(path)) {
		snprintf(reply, replylen, "file: mail_dir too long");
		return SEND_FAIL;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd == -1)
		goto fail;
	while (off < len) {
		ssize_t n = write(fd, msg + off, len - off);

		if (n <= 0) {
			close(fd);
			goto fail;
		}
		off += (size_t)n;
	}
	/* The outbox marks the mail sent after this: its name must be on
	 * disk too, not only its bytes. */
	if (fsync(fd) == -1 || close(fd) == -1 || rename(tmp, path) == -1 ||
	    fsync_parent(path) == -1)
		goto fail;
	/* A token the reports put in words (report_reply). */
	snprintf(reply, replylen, "250 st:file");
	return SEND_OK;
fail:
	snprintf(reply, replylen, "file: %s", strerror(errno));
	unlink(tmp);
	return SEND_RETRY;
}

const struct mail_transport mail_file_transport = { "file", file_send, NULL };
