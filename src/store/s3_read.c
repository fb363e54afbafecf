/* Streaming reads of S3 objects; see s3_read.h. */
#include "util/common.h"

#include "store/s3_http.h"
#include "store/s3_read.h"
#include "util/log.h"

/* The window: what S3 sent and the caller has not read yet. libcurl hands
 * over at most CURL_MAX_WRITE_SIZE (16 KiB) at a time, so this holds
 * several deliveries before the transfer pauses. */
#define WINDOW (256u * 1024u)
#define POLL_MS 1000

struct s3_reader {
	struct s3 *s;
	char path[160];
	uint64_t size;
	CURL *h; /* the GET in flight, or NULL */
	CURLM *m;
	struct curl_slist *hdrs;
	unsigned char win[WINDOW];
	size_t head, len; /* unread bytes are win[head, head + len) */
	uint64_t pos; /* object offset of win[head] */
	uint64_t start; /* where the GET in flight began */
	int done, failed, paused;
};

void *
s3_reader_open(void *store, const char *key, uint64_t *size)
{
	struct s3 *s = store;
	struct s3_resp r = { 0 };
	struct s3_reader *rd;
	char path[160];

	snprintf(path, sizeof(path), "objects/%s", key);
	if (s3_call(s, "HEAD", path, "", NULL, 0, &r) == -1)
		return NULL;
	if (r.status != 200) {
		s3_fail(&r, "head", path);
		return NULL;
	}
	rd = xcalloc(1, sizeof(*rd));
	rd->s = s;
	snprintf(rd->path, sizeof(rd->path), "%s", path);
	rd->size = r.length;
	*size = r.length;
	return rd;
}

static void
stop_get(struct s3_reader *rd)
{
	if (rd->h == NULL)
		return;
	curl_multi_remove_handle(rd->m, rd->h);
	curl_slist_free_all(rd->hdrs);
	rd->hdrs = NULL;
	/* A transfer cut short leaves its connection unusable: no reuse. */
	if (!rd->done) {
		curl_easy_cleanup(rd->h);
		rd->h = NULL;
	}
	s3_handle_put(rd->s, rd->h);
	rd->h = NULL;
}

static size_t
on_data(char *p, size_t size, size_t n, void *arg)
{
	struct s3_reader *rd = arg;
	long st = 0;

	(void)size;
	curl_easy_getinfo(rd->h, CURLINFO_RESPONSE_CODE, &st);
	/* An error body is not object bytes, nor is a whole object sent by
	 * a store that ignored the Range. */
	if (st != 206 && !(st == 200 && rd->start == 0)) {
		rd->failed = 1;
		return 0;
	}
	if (rd->head + rd->len + n > WINDOW && rd->head > 0) {
		memmove(rd->win, rd->win + rd->head, rd->len);
		rd->head = 0;
	}
	if (rd->len + n > WINDOW) {
		rd->paused = 1;
		return CURL_WRITEFUNC_PAUSE; /* handed over again on resume */
	}
	memcpy(rd->win + rd->head + rd->len, p, n);
	rd->len += n;
	return n;
}

static int
start_get(struct s3_reader *rd, uint64_t offset)
{
	char range[48];

	stop_get(rd);
	rd->head = rd->len = 0;
	rd->done = rd->failed = rd->paused = 0;
	rd->pos = rd->start = offset;
	if (rd->m == NULL && (rd->m = curl_multi_init()) == NULL)
		fatal("curl_multi_init failed", NULL);
	rd->h = s3_handle_get(rd->s, "GET", rd->path, "", &rd->hdrs);
	snprintf(range, sizeof(range), "%" PRIu64 "-", offset);
	curl_easy_setopt(rd->h, CURLOPT_RANGE, range);
	curl_easy_setopt(rd->h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(rd->h, CURLOPT_WRITEDATA, rd);
	if (curl_multi_add_handle(rd->m, rd->h) != CURLM_OK) {
		errno = EIO;
		return -1;
	}
	return 0;
}

/* Moves the transfer on until the window has bytes or it ended. */
static int
pump(struct s3_reader *rd)
{
	CURLMsg *msg;
	int running = 1, left;
	long st = 0;

	while (rd->len == 0 && !rd->done) {
		if (rd->paused) {
			rd->paused = 0;
			curl_easy_pause(rd->h, CURLPAUSE_CONT);
			continue;
		}
		if (curl_multi_perform(rd->m, &running) != CURLM_OK)
			return -1;
		while ((msg = curl_multi_info_read(rd->m, &left)) != NULL) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			rd->done = 1;
			curl_easy_getinfo(rd->h, CURLINFO_RESPONSE_CODE, &st);
			if (msg->data.result != CURLE_OK ||
			    (st != 206 && st != 200)) {
				log_warn("s3 read failed", "{s:s,s:i,s:s}",
				    "path", rd->path, "status", (int)st,
				    "error",
				    curl_easy_strerror(msg->data.result));
				rd->failed = 1;
			}
		}
		if (rd->len == 0 && !rd->done && !rd->paused &&
		    curl_multi_poll(rd->m, NULL, 0, POLL_MS, NULL) != CURLM_OK)
			return -1;
	}
	return 0;
}

ssize_t
s3_read(void *h, uint64_t offset, void *buf, size_t len)
{
	struct s3_reader *rd = h;
	size_t n;

	if (offset >= rd->size || len == 0)
		return 0;
	/* Sequential reads continue the GET; anything else starts anew. */
	if ((rd->h == NULL || offset != rd->pos) && start_get(rd, offset) == -1)
		return -1;
	if (pump(rd) == -1 || (rd->len == 0 && rd->failed)) {
		stop_get(rd);
		errno = EIO;
		return -1;
	}
	n = rd->len < len ? rd->len : len;
	memcpy(buf, rd->win + rd->head, n);
	rd->head += n;
	rd->len -= n;
	rd->pos += n;
	return (ssize_t)n;
}

int
s3_take_fd(void *h)
{
	(void)h;
	return -1;
}

void
s3_reader_close(void *h)
{
	struct s3_reader *rd = h;

	stop_get(rd);
	if (rd->m != NULL)
		curl_multi_cleanup(rd->m);
	free(rd);
}
