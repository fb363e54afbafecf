/* JSON-lines logger; see log.h. */
#include "util/common.h"

#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"

static enum log_level min_level = LOG_INFO;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const level_names[] = { "debug", "info", "warn", "error",
	"fatal" };

void
log_set_level(enum log_level min)
{
	min_level = min;
}

static void
now_rfc3339(char *out, size_t len)
{
	struct timespec ts;
	struct tm tm;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(out, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(
	    out + n, len - n, ".%03dZ", (int)(ts.tv_nsec / 1000000) % 1000);
}

static void
log_vmsg(enum log_level level, const char *msg, const char *fmt, va_list ap)
{
	char when[40];
	json_t *obj;
	char *line;
	int saved = errno;

	if (level < min_level)
		return;
	json_t *fields = NULL;

	now_rfc3339(when, sizeof(when));
	obj = json_pack("{s:s,s:s,s:s}", "time", when, "level",
	    level_names[level], "msg", msg);
	if (fmt != NULL && *fmt != '\0')
		fields = json_vpack_ex(NULL, 0, fmt, ap);
	if (json_is_object(fields))
		json_object_update_missing(obj, fields);
	json_decref(fields);
	line = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(obj);
	if (line != NULL) {
		pthread_mutex_lock(&log_lock);
		fprintf(stderr, "%s\n", line);
		fflush(stderr);
		pthread_mutex_unlock(&log_lock);
		free(line);
	}
	errno = saved;
}

void
log_msg(enum log_level level, const char *msg, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(level, msg, fmt, ap);
	va_end(ap);
}

void
fatal(const char *msg, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_FATAL, msg, fmt, ap);
	va_end(ap);
	exit(1);
}
