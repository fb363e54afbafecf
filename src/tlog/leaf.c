/* Key-transparency leaves; see leaf.h. */
#include "util/common.h"

#include <sodium.h>

#include "tlog/leaf.h"

#define MAGIC "STKT"
#define VERSION 1
#define JS_SAFE ((uint64_t)1 << 53)

void
tlog_address_hash(unsigned char out[32], const char *address)
{
	crypto_hash_sha256_state st;

	crypto_hash_sha256_init(&st);
	/* The label with its NUL: no address can run into it. */
	crypto_hash_sha256_update(&st, (const unsigned char *)TLOG_ADDR_LABEL,
	    sizeof(TLOG_ADDR_LABEL));
	crypto_hash_sha256_update(
	    &st, (const unsigned char *)address, strlen(address));
	crypto_hash_sha256_final(&st, out);
}

void
tlog_key_hash(unsigned char out[32], const unsigned char pk[32])
{
	crypto_hash_sha256(out, pk, 32);
}

static void
put64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--) {
		p[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
}

static uint64_t
get64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

void
tlog_leaf_encode(unsigned char out[TLOG_LEAF_LEN], const struct tlog_leaf *l)
{
	memcpy(out, MAGIC, 4);
	out[4] = VERSION;
	out[5] = (unsigned char)l->event;
	out[6] = out[7] = 0;
	put64(out + 8, l->epoch);
	put64(out + 16, l->time);
	memcpy(out + 24, l->addr, 32);
	memcpy(out + 56, l->x25519, 32);
	memcpy(out + 88, l->ed25519, 32);
}

int
tlog_leaf_decode(struct tlog_leaf *l, const unsigned char *in, size_t len)
{
	if (len != TLOG_LEAF_LEN || memcmp(in, MAGIC, 4) != 0 ||
	    in[4] != VERSION || in[5] < 1 || in[5] > TLOG_EV_MAX ||
	    in[6] != 0 || in[7] != 0)
		return -1;
	l->event = (enum tlog_event)in[5];
	l->epoch = get64(in + 8);
	l->time = get64(in + 16);
	if (l->epoch == 0 || l->epoch >= JS_SAFE || l->time >= JS_SAFE)
		return -1;
	memcpy(l->addr, in + 24, 32);
	memcpy(l->x25519, in + 56, 32);
	memcpy(l->ed25519, in + 88, 32);
	return 0;
}

const char *
tlog_event_name(enum tlog_event ev)
{
	static const char *const names[] = { NULL, "account", "reset",
		"mailbox", "existing", "changed" };

	return (unsigned)ev <= TLOG_EV_MAX ? names[ev] : NULL;
}
