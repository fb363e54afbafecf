/* Listening sockets; see listen.h. */
#include "util/common.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http/listen.h"
#include "util/config.h"
#include "util/log.h"

int
listen_open(const char *addr, int reuse_port, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	char host[64];
	uint16_t port;
	int fd = -1, one = 1, e;

	memset(&ss, 0, sizeof(ss));
	if (config_parse_addr(addr, host, sizeof(host), &port) == -1) {
		snprintf(err, errlen, "not a numeric address and port");
		return -1;
	}
	if (strchr(host, ':') != NULL) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)(void *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		inet_pton(AF_INET6, host, &s6->sin6_addr);
		sslen = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)(void *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		inet_pton(AF_INET, host, &s4->sin_addr);
		sslen = sizeof(*s4);
	}
	fd = socket(
	    ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		goto fail;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1 ||
	    (reuse_port &&
	        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) ==
	            -1))
		goto fail;
	if (ss.ss_family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) == -1)
		goto fail;
	if (bind(fd, (struct sockaddr *)&ss, sslen) == -1 ||
	    listen(fd, SOMAXCONN) == -1)
		goto fail;
	return fd;
fail:
	e = errno;
	if (e == EADDRINUSE)
		snprintf(err, errlen,
		    "the address is in use: another securetransferd (or "
		    "another program) listens there; stop it, choose another "
		    "port, or set server.reuse_port to share the port on "
		    "purpose");
	else
		snprintf(err, errlen, "%s", strerror(e));
	if (fd != -1)
		close(fd);
	errno = e;
	return -1;
}

void
listen_stop(int fd)
{
	/* On Linux, shutdown(2) of a listening socket ends the listen: the
	 * queue of unaccepted connections is reset and a new SYN is
	 * refused. close(2) would do the same, but a libmicrohttpd thread
	 * may still be about to call accept(2) on this number. */
	if (fd != -1)
		(void)shutdown(fd, SHUT_RDWR);
}

unsigned
listen_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
		return 0;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)(void *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)(void *)&ss)->sin_port);
}

void
listen_log(const char *what, const char *addr, unsigned port)
{
	char host[64], url[128];
	uint16_t cfgport;

	if (config_parse_addr(addr, host, sizeof(host), &cfgport) == -1)
		return;
	if (strchr(host, ':') != NULL)
		snprintf(url, sizeof(url), "http://[%s]:%u", host, port);
	else
		snprintf(url, sizeof(url), "http://%s:%u", host, port);
	log_info(what, "{s:s}", "url", url);
}
