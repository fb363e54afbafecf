/*
 * Structured logging: one JSON object per line on stderr with the fixed keys
 * time, level and msg, plus fields given in jansson's json_pack format:
 *
 *	log_info("listening", "{s:s}", "url", url);
 *
 * Never log a secret, a request body, a cookie or a URL that carries a
 * token. Logging keeps errno as it was; a failed write is ignored.
 */
#ifndef ST_LOG_H
#define ST_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_FATAL };

void log_set_level(enum log_level min);
void log_msg(enum log_level level, const char *msg, const char *fmt, ...);

#define log_debug(msg, ...) log_msg(LOG_DEBUG, (msg), __VA_ARGS__)
#define log_info(msg, ...) log_msg(LOG_INFO, (msg), __VA_ARGS__)
#define log_warn(msg, ...) log_msg(LOG_WARN, (msg), __VA_ARGS__)
#define log_error(msg, ...) log_msg(LOG_ERROR, (msg), __VA_ARGS__)

/* Logs at LOG_FATAL and exits with status 1. */
void fatal(const char *msg, const char *fmt, ...) __attribute__((noreturn));

#endif
