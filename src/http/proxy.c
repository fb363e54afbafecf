/* Client addresses behind trusted proxies; see proxy.h. */
#include "util/common.h"

#include <microhttpd.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/socket.h>

#include "http/proxy.h"
#include "http/request.h"
#include "http/server.h"
#include "util/config.h"
#include "util/netaddr.h"

struct span {
	const char *p;
	size_t len;
};

struct hops {
	struct span s[PROXY_MAX_HOPS];
	size_t n; /* kept; the oldest are dropped past PROXY_MAX_HOPS */
};

static void
hops_add(struct hops *h, const char *p, size_t len)
{
	if (h->n == PROXY_MAX_HOPS) {
		memmove(&h->s[0], &h->s[1], sizeof(h->s[0]) * (h->n - 1));
		h->n--;
	}
	h->s[h->n].p = p;
	h->s[h->n].len = len;
	h->n++;
}

/* Splits one line at the commas outside quoted strings. */
static void
split_line(struct hops *h, const char *v)
{
	const char *start = v, *p = v;
	int quoted = 0;

	for (;; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == '\\' && quoted && p[1] != '\0')
			p++;
		else if ((*p == ',' && !quoted) || *p == '\0') {
			hops_add(h, start, (size_t)(p - start));
			if (*p == '\0')
				return;
			start = p + 1;
		}
	}
}

static void
trim(struct span *s)
{
	while (s->len > 0 && (s->p[0] == ' ' || s->p[0] == '\t')) {
		s->p++;
		s->len--;
	}
	while (
	    s->len > 0 && (s->p[s->len - 1] == ' ' || s->p[s->len - 1] == '\t'))
		s->len--;
}

/*
 * A node as both headers write it: "192.0.2.1", "192.0.2.1:443",
 * "2001:db8::1", "[2001:db8::1]", "[2001:db8::1]:443".
 */
static int
parse_node(struct span s, uint8_t out[16])
{
	const char *close, *colon;

	trim(&s);
	if (s.len > 0 && s.p[0] == '[') {
		close = memchr(s.p, ']', s.len);
		if (close == NULL)
			return -1;
		return netaddr_parse(s.p + 1, (size_t)(close - s.p - 1), out);
	}
	colon = memchr(s.p, ':', s.len);
	/* One colon: IPv4 with a port. More: a bare IPv6 address. */
	if (colon != NULL &&
	    memchr(colon + 1, ':', s.len - (size_t)(colon - s.p) - 1) == NULL)
		s.len = (size_t)(colon - s.p);
	return netaddr_parse(s.p, s.len, out);
}

/* The for= node of one Forwarded element (RFC 7239 §4). */
static int
parse_forwarded(struct span e, uint8_t out[16])
{
	const char *p = e.p, *end = e.p + e.len;

	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		struct span pair = { p, (size_t)((semi ? semi : end) - p) };

		trim(&pair);
		if (pair.len > 4 && strncasecmp(pair.p, "for=", 4) == 0) {
			struct span v = { pair.p + 4, pair.len - 4 };

			if (v.len >= 2 && v.p[0] == '"' &&
			    v.p[v.len - 1] == '"') {
				v.p++;
				v.len -= 2;
				if (memchr(v.p, '\\', v.len) != NULL)
					return -1;
			}
			return parse_node(v, out);
		}
		p = semi ? semi + 1 : end;
	}
	return -1;
}

void
proxy_client(const struct netaddr_list *trusted, enum proxy_header kind,
    const char *const *values, size_t n, const uint8_t peer[16],
    uint8_t out[16])
{
	struct hops h;
	uint8_t hop[16];
	size_t i;

	h.n = 0;
	for (i = 0; i < n; i++)
		split_line(&h, values[i]);
	memcpy(out, peer, 16);
	for (i = h.n; i-- > 0;) {
		int r = kind == PROXY_FORWARDED ? parse_forwarded(h.s[i], hop) :
		                                  parse_node(h.s[i], hop);

		if (r == -1)
			return;
		memcpy(out, hop, 16);
		if (!netaddr_list_match(trusted, hop))
			return;
	}
}

int
proxy_request_id_ok(const char *s)
{
	size_t len = strnlen(s, REQUEST_ID_MAX + 1);

	return len > 0 && len <= REQUEST_ID_MAX &&
	    strspn(s,
	        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	        "0123456789._-") == len;
}

struct lines {
	const char *name;
	const char *v[PROXY_MAX_LINES];
	size_t n;
};

static enum MHD_Result
collect(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct lines *l = cls;

	ST_UNUSED(kind);
	if (strcasecmp(key, l->name) == 0 && value != NULL) {
		if (l->n == PROXY_MAX_LINES) {
			memmove(
			    &l->v[0], &l->v[1], sizeof(l->v[0]) * (l->n - 1));
			l->n--;
		}
		l->v[l->n++] = value;
	}
	return MHD_YES;
}

void
proxy_resolve(struct request *req)
{
	const struct app *app = req->app;
	enum proxy_header kind = strcmp(app->cfg->server_proxy_header,
	                             "forwarded") == 0 ?
	    PROXY_FORWARDED :
	    PROXY_X_FORWARDED_FOR;
	struct lines l = { kind == PROXY_FORWARDED ? "Forwarded" :
		                                     "X-Forwarded-For",
		{ 0 }, 0 };
	const char *rid;
	uint8_t client[16];

	if (!req->peer_known || app->trusted_proxies.n == 0 ||
	    !netaddr_list_match(&app->trusted_proxies, req->peer))
		return;
	MHD_get_connection_values(req->conn, MHD_HEADER_KIND, collect, &l);
	proxy_client(&app->trusted_proxies, kind, l.v, l.n, req->peer, client);
	netaddr_format(client, req->ip, sizeof(req->ip));
	rid = request_header(req, "X-Request-Id");
	if (rid != NULL && proxy_request_id_ok(rid))
		snprintf(req->id, sizeof(req->id), "%s", rid);
}

void
proxy_peer(struct request *req)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff,
		0xff };
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;

	snprintf(req->ip, sizeof(req->ip), "-");
	ci = MHD_get_connection_info(
	    req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return;
	if (sa->sa_family == AF_INET) {
		memcpy(req->peer, mapped, sizeof(mapped));
		memcpy(req->peer + 12,
		    &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
		    4);
	} else if (sa->sa_family == AF_INET6)
		memcpy(req->peer,
		    &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		    16);
	else
		return;
	req->peer_known = 1;
	netaddr_format(req->peer, req->ip, sizeof(req->ip));
}
