/* Addresses and networks; see netaddr.h. */
#include "util/common.h"

#include <arpa/inet.h>

#include "util/netaddr.h"
#include "util/num.h"

static const uint8_t v4_mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff,
	0xff };

int
netaddr_parse(const char *s, size_t len, uint8_t out[16])
{
	char text[NETADDR_TEXT_MAX + 1];
	uint8_t tmp[16];

	if (len == 0 || len > NETADDR_TEXT_MAX || memchr(s, '\0', len) != NULL)
		return -1;
	memcpy(text, s, len);
	text[len] = '\0';
	if (inet_pton(AF_INET, text, tmp) == 1) {
		memcpy(out, v4_mapped, sizeof(v4_mapped));
		memcpy(out + 12, tmp, 4);
		return 0;
	}
	if (inet_pton(AF_INET6, text, tmp) == 1) {
		memcpy(out, tmp, 16);
		return 0;
	}
	return -1;
}

static int
is_v4(const uint8_t a[16])
{
	return memcmp(a, v4_mapped, sizeof(v4_mapped)) == 0;
}

/* 1 when the bits of a past prefix are all zero. */
static int
host_bits_clear(const uint8_t a[16], unsigned prefix)
{
	unsigned i;

	for (i = prefix; i < 128; i++)
		if (a[i / 8] & (0x80u >> (i % 8)))
			return 0;
	return 1;
}

/* One entry: an address, or address/prefix. */
static const char *
parse_net(const char *s, size_t len, struct netaddr_net *net)
{
	const char *slash = memchr(s, '/', len);
	size_t alen = slash != NULL ? (size_t)(slash - s) : len;
	uint64_t p;

	if (netaddr_parse(s, alen, net->addr) == -1)
		return "not an IP address or network";
	if (slash == NULL) {
		net->prefix = 128;
		return NULL;
	}
	if (num_parse_u64n(slash + 1, len - alen - 1, 0,
	        is_v4(net->addr) ? 32 : 128, &p) == -1)
		return "bad prefix length";
	net->prefix = (unsigned)p + (is_v4(net->addr) ? 96u : 0u);
	if (!host_bits_clear(net->addr, net->prefix))
		return "address has bits set past its prefix length";
	return NULL;
}

int
netaddr_list_parse(const char *s, struct netaddr_list *list, const char **why)
{
	struct netaddr_list out;
	const char *p = s;

	out.n = 0;
	for (;;) {
		size_t len;

		p += strspn(p, ", \t");
		if (*p == '\0')
			break;
		len = strcspn(p, ", \t");
		if (out.n == NETADDR_LIST_MAX) {
			*why = "too many entries";
			return -1;
		}
		if ((*why = parse_net(p, len, &out.nets[out.n])) != NULL)
			return -1;
		out.n++;
		p += len;
	}
	*list = out;
	return 0;
}

int
netaddr_list_match(const struct netaddr_list *list, const uint8_t addr[16])
{
	size_t i;

	for (i = 0; i < list->n; i++) {
		const struct netaddr_net *n = &list->nets[i];
		unsigned full = n->prefix / 8, rest = n->prefix % 8;

		if (memcmp(addr, n->addr, full) != 0)
			continue;
		if (rest != 0 &&
		    ((addr[full] ^ n->addr[full]) & (0xffu << (8 - rest))) != 0)
			continue;
		return 1;
	}
	return 0;
}

void
netaddr_format(const uint8_t addr[16], char *out, size_t len)
{
	char text[INET6_ADDRSTRLEN];

	if (is_v4(addr))
		inet_ntop(AF_INET, addr + 12, text, sizeof(text));
	else
		inet_ntop(AF_INET6, addr, text, sizeof(text));
	snprintf(out, len, "%s", text);
}
