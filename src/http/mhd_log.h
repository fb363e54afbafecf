/*
 * libmicrohttpd's own messages (MHD_OPTION_EXTERNAL_LOGGER) as JSON log
 * lines {"msg":"libmicrohttpd","detail":...}, like every other line of the
 * server. Numbers are filled in; every string argument is written as "…":
 * libmicrohttpd puts the request's URL there ("request for `%s'"), and a
 * URL may carry a link's token (log.h: never log one). A client that went
 * away in the middle of a request is routine (info), anything else warn.
 */
#ifndef ST_MHD_LOG_H
#define ST_MHD_LOG_H

#include <stdarg.h>

void mhd_log(void *cls, const char *fmt, va_list ap);

#endif
