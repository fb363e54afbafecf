/*
 * libFuzzer: server.trusted_proxies lists (util/netaddr.c) and the client
 * address behind them from X-Forwarded-For and Forwarded (http/proxy.c).
 * Input: a proxy list, a NUL byte, then header lines separated by LF.
 */
#include "util/common.h"

#include "http/proxy.h"
#include "util/netaddr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t peer[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff,
		0xff, 127, 0, 0, 1 };
	struct netaddr_list list, ok;
	const char *why, *lines[PROXY_MAX_LINES];
	char *text, *p, *nul;
	uint8_t out[16];
	char shown[64];
	size_t n = 0;
	int kind;

	if (size < 1 || size > 16384)
		return 0;
	text = xmalloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	nul = memchr(text, '\0', size);
	if (netaddr_list_parse(text, &list, &why) == -1) {
		if (why == NULL)
			abort();
		list.n = 0;
	}
	if (netaddr_list_parse("127.0.0.1, 10.0.0.0/8, fd00::/8", &ok, &why) ==
	    -1)
		abort();
	if (list.n > NETADDR_LIST_MAX)
		abort();
	for (p = nul != NULL ? nul + 1 : text + size;
	     p < text + size && n < PROXY_MAX_LINES;) {
		char *nl = strchr(p, '\n');

		lines[n++] = p;
		if (nl == NULL)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	for (kind = 0; kind < 2; kind++) {
		proxy_client(list.n > 0 ? &list : &ok, (enum proxy_header)kind,
		    lines, n, peer, out);
		netaddr_format(out, shown, sizeof(shown));
		if (shown[0] == '\0')
			abort();
	}
	(void)proxy_request_id_ok(text);
	free(text);
	return 0;
}
