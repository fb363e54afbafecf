/*
 * The client's address behind a reverse proxy (server.trusted_proxies).
 * Only when the connection comes from a trusted proxy is its forwarding
 * header read, and only the one header configured in server.proxy_header:
 * X-Forwarded-For (what docs/deploy.md's nginx sets) or Forwarded
 * (RFC 7239). Reading both would let a client write the one the proxy does
 * not overwrite. The hops are read from the right: each trusted proxy
 * appends the address it saw, so the right-most address that is not a
 * trusted proxy is the client; what is left of it is the client's own
 * claim and never used.
 */
#ifndef ST_PROXY_H
#define ST_PROXY_H

#include <stddef.h>
#include <stdint.h>

struct netaddr_list;
struct request;

enum proxy_header { PROXY_X_FORWARDED_FOR, PROXY_FORWARDED };

#define PROXY_MAX_HOPS 64 /* hops read from the right; older ones dropped */
#define PROXY_MAX_LINES 16 /* header lines of the one name */

/*
 * The client address from the n header lines in values (in the order
 * received) of a request whose peer is a trusted proxy: the right-most hop
 * that is not in trusted. When a hop cannot be read (garbage, "unknown",
 * an obfuscated Forwarded node) or every hop is trusted, the last trusted
 * address read from the right (at worst peer) is the answer. Pure: the
 * libFuzzer driver fuzz/fuzz_proxy.c calls it.
 */
void proxy_client(const struct netaddr_list *trusted, enum proxy_header kind,
    const char *const *values, size_t n, const uint8_t peer[16],
    uint8_t out[16]);

/* The connection's peer, as text in req->ip and as bytes in req->peer. */
void proxy_peer(struct request *req);

/*
 * For req (headers received): when its peer is one of the trusted proxies,
 * sets req->ip to the client's address and takes a well-formed incoming
 * X-Request-Id (1-64 of [A-Za-z0-9._-]) as req->id, so the proxy's and
 * this server's logs share one id. From any other peer both headers are
 * ignored.
 */
void proxy_resolve(struct request *req);

/* 1 when s (1..64 characters) may be taken as a request id. */
int proxy_request_id_ok(const char *s);

#endif
