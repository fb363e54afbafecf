/*
 * Mail transports behind one table: "file" writes each mail as an .eml
 * file (development), "smtp" hands it to a relay with libcurl.
 */
#ifndef ST_TRANSPORT_H
#define ST_TRANSPORT_H

#include <stddef.h>

struct config;

enum send_result {
	SEND_OK, /* accepted; reply holds the server's answer */
	SEND_RETRY, /* temporary: refused connection, 4xx, timeout */
	SEND_FAIL /* permanent: 5xx */
};

struct mail_transport {
	const char *name;
	enum send_result (*send)(const struct config *cfg, const char *id,
	    const char *from, const char *to, const char *msg, size_t len,
	    char *reply, size_t replylen);
};

extern const struct mail_transport mail_file_transport;
extern const struct mail_transport mail_smtp_transport;

#endif
