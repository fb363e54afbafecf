/* Fixtures for the SMS tests; see sms_fixture.h. */
#include "util/common.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "sms_fixture.h"
#include "unit.h"
#include "util/clock.h"
#include "util/log.h"

void
fixture_set(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
}

int
fixture_open(struct fixture *f)
{
	char err[256], path[128];

	memset(f, 0, sizeof(*f));
	f->saved_stderr = -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/st-sms-XXXXXX");
	if (mkdtemp(f->dir) == NULL ||
	    config_load(&f->cfg, NULL, err, sizeof(err)) == -1)
		return -1;
	snprintf(path, sizeof(path), "%s/st.db", f->dir);
	fixture_set(&f->cfg.database_path, path);
	snprintf(path, sizeof(path), "%s/sms.log", f->dir);
	fixture_set(&f->cfg.sms_log_path, path);
	fixture_set(&f->cfg.database_driver, "sqlite");
	log_set_level(LOG_WARN); /* quiet migrations */
	if (db_open(&f->cfg, &f->db) == -1 || db_migrate(f->db) == -1) {
		log_set_level(LOG_INFO);
		return -1;
	}
	log_set_level(LOG_INFO);
	return 0;
}

void
fixture_clock_offset(struct fixture *f, int seconds)
{
	FILE *fp;

	snprintf(f->clock_path, sizeof(f->clock_path), "%s/clock", f->dir);
	if ((fp = fopen(f->clock_path, "w")) != NULL) {
		fprintf(fp, "%d\n", seconds);
		fclose(fp);
	}
	clock_set_offset_file(seconds != 0 ? f->clock_path : NULL);
}

void
fixture_capture_stderr(struct fixture *f)
{
	int fd;

	snprintf(f->stderr_path, sizeof(f->stderr_path), "%s/stderr", f->dir);
	fflush(stderr);
	fd = open(f->stderr_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd == -1)
		return;
	f->saved_stderr = dup(2);
	dup2(fd, 2);
	close(fd);
}

char *
fixture_stderr(struct fixture *f)
{
	if (f->saved_stderr != -1) {
		fflush(stderr);
		dup2(f->saved_stderr, 2);
		close(f->saved_stderr);
		f->saved_stderr = -1;
	}
	return fixture_read_file(f->stderr_path);
}

char *
fixture_read_file(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *data;
	long n;

	if (fp == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	data = xmalloc((size_t)n + 1);
	data[fread(data, 1, (size_t)n, fp)] = '\0';
	fclose(fp);
	return data;
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

int
fixture_wait_row(struct fixture *f, const char *state, int ms,
    int64_t *attempts, char *reply, size_t replylen)
{
	int waited;

	for (waited = 0;; waited += 50) {
		struct db_conn *c = db_get(f->db);
		struct db_stmt *s = db_query(c,
		    "SELECT state, attempts, reply FROM outbox", DB_NOPARAMS);
		int hit = 0;

		if (s != NULL && db_next(s) == DB_ROW) {
			hit = strcmp(db_text(s, 0), state) == 0;
			*attempts = db_int(s, 1);
			snprintf(reply, replylen, "%s",
			    db_text(s, 2) ? db_text(s, 2) : "");
		}
		if (s != NULL)
			db_done(s);
		db_put(c);
		if (hit)
			return 0;
		if (waited >= ms)
			return -1;
		sleep_ms(50);
	}
}

static int
remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	ST_UNUSED(st);
	ST_UNUSED(flag);
	ST_UNUSED(ftw);
	return remove(path);
}

void
fixture_close(struct fixture *f)
{
	if (f->saved_stderr != -1)
		free(fixture_stderr(f));
	clock_set_offset_file(NULL);
	db_close(f->db);
	config_release(&f->cfg);
	if (f->dir[0] != '\0' && unit_getenv("ST_KEEP_TMP") == NULL)
		nftw(f->dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* Reads one request: headers, then Content-Length bytes of body. */
static int
read_request(int fd, struct gateway_req *r)
{
	char buf[65536], *end, *cl;
	size_t have = 0, body_len = 0, head_len;
	ssize_t n;

	for (;;) {
		if (have == sizeof(buf) - 1)
			return -1;
		if ((n = read(fd, buf + have, sizeof(buf) - 1 - have)) <= 0)
			return -1;
		have += (size_t)n;
		buf[have] = '\0';
		if ((end = strstr(buf, "\r\n\r\n")) != NULL)
			break;
	}
	head_len = (size_t)(end - buf) + 4;
	*end = '\0';
	if ((cl = strcasestr(buf, "\r\nContent-Length:")) != NULL)
		body_len = strtoul(cl + 17, NULL, 10);
	if (body_len > sizeof(buf) - 1 - head_len)
		return -1;
	while (have < head_len + body_len) {
		if ((n = read(fd, buf + have, head_len + body_len - have)) <= 0)
			return -1;
		have += (size_t)n;
	}
	sscanf(buf, "%7s %255s", r->method, r->path);
	snprintf(r->headers, sizeof(r->headers), "%s", strstr(buf, "\r\n"));
	r->body = xmalloc(body_len + 1);
	memcpy(r->body, buf + head_len, body_len);
	r->body[body_len] = '\0';
	return 0;
}

static void *
gateway_main(void *arg)
{
	struct gateway *g = arg;
	struct pollfd p = { g->fd, POLLIN, 0 };

	for (;;) {
		struct gateway_req r = { 0 };
		char answer[128];
		int c, status, len;

		pthread_mutex_lock(&g->lock);
		if (g->stop) {
			pthread_mutex_unlock(&g->lock);
			return NULL;
		}
		pthread_mutex_unlock(&g->lock);
		if (poll(&p, 1, 50) <= 0)
			continue;
		if ((c = accept(g->fd, NULL, NULL)) == -1)
			continue;
		if (read_request(c, &r) == 0) {
			pthread_mutex_lock(&g->lock);
			status = g->nreq < GATEWAY_MAX_REQ &&
			        g->statuses[g->nreq] != 0 ?
			    g->statuses[g->nreq] :
			    200;
			if (g->nreq < GATEWAY_MAX_REQ)
				g->reqs[g->nreq++] = r;
			else
				free(r.body);
			pthread_mutex_unlock(&g->lock);
			len = snprintf(answer, sizeof(answer),
			    "HTTP/1.1 %d X\r\nContent-Type: "
			    "application/json\r\n"
			    "Content-Length: 2\r\nConnection: close\r\n\r\n{}",
			    status);
			if (write(c, answer, (size_t)len) != len)
				fprintf(stderr, "gateway: short write\n");
		}
		close(c);
	}
}

int
gateway_start(struct gateway *g)
{
	struct sockaddr_in a = { 0 };
	socklen_t alen = sizeof(a);

	memset(g, 0, sizeof(*g));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((g->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    bind(g->fd, (struct sockaddr *)&a, sizeof(a)) == -1 ||
	    listen(g->fd, 16) == -1 ||
	    getsockname(g->fd, (struct sockaddr *)&a, &alen) == -1)
		return -1;
	g->port = ntohs(a.sin_port);
	pthread_mutex_init(&g->lock, NULL);
	return pthread_create(&g->thread, NULL, gateway_main, g) == 0 ? 0 : -1;
}

int
gateway_count(struct gateway *g)
{
	int n;

	pthread_mutex_lock(&g->lock);
	n = g->nreq;
	pthread_mutex_unlock(&g->lock);
	return n;
}

int
gateway_wait(struct gateway *g, int n, int ms)
{
	int waited;

	for (waited = 0; gateway_count(g) < n; waited += 20) {
		if (waited >= ms)
			return -1;
		sleep_ms(20);
	}
	return 0;
}

void
gateway_stop(struct gateway *g)
{
	int i;

	pthread_mutex_lock(&g->lock);
	g->stop = 1;
	pthread_mutex_unlock(&g->lock);
	pthread_join(g->thread, NULL);
	pthread_mutex_destroy(&g->lock);
	close(g->fd);
	for (i = 0; i < g->nreq; i++)
		free(g->reqs[i].body);
}
