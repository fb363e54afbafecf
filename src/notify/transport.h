/*
 * Transports behind one table per kind of message. Mail: "file" writes
 * each mail as an .eml file (development), "smtp" hands it to a relay with
 * libcurl. SMS: "log" appends a JSON line to sms.log_path (development),
 * "http" calls a gateway's web API with libcurl. The outbox worker picks
 * one of each at start and never tests which it has.
 */
#ifndef ST_TRANSPORT_H
#define ST_TRANSPORT_H

#include <stddef.h>

struct config;

enum send_result {
	SEND_OK, /* accepted; reply holds the server's answer */
	SEND_RETRY, /* temporary for this one: SMTP 4xx, HTTP 408 */
	SEND_UNREACHABLE, /* temporary for all: refused connection, timeout,
			     TLS failure, HTTP 5xx or 429; the outbox backs
			     off before it tries the next one */
	SEND_FAIL /* permanent: SMTP 5xx, HTTP 4xx */
};

/*
 * send may keep its connection open for the next mail (SMTP: the relay's
 * 250 for the DATA is then the last thing before the outbox records the
 * mail as sent, with no QUIT in between); idle, when not NULL, closes it:
 * the outbox calls it when nothing more is due and before it stops.
 */
struct mail_transport {
	const char *name;
	enum send_result (*send)(const struct config *cfg, const char *id,
	    const char *from, const char *to, const char *msg, size_t len,
	    char *reply, size_t replylen);
	void (*idle)(void);
};

extern const struct mail_transport mail_file_transport;
extern const struct mail_transport mail_smtp_transport;

/*
 * Sends text to the E.164 number to ("+31612345678"); id is the outbox
 * row id (the same on every retry). reply gets a short outcome for the
 * log and the outbox row: never the text, which holds a code.
 */
struct sms_transport {
	const char *name;
	enum send_result (*send)(const struct config *cfg, const char *id,
	    const char *to, const char *text, char *reply, size_t replylen);
};

extern const struct sms_transport sms_log_transport;
extern const struct sms_transport sms_http_transport;

#endif
