/* libFuzzer: the drop-off's proof-of-work challenge and nonce (Q4). */
#include "util/common.h"

#include "domain/requests.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Input: challenge, a NUL, nonce. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pow_parts p;
	char in[512];
	const char *nonce;
	size_t n;

	if (size >= sizeof(in))
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	n = strlen(in);
	nonce = n < size ? in + n + 1 : "";
	if (dropoff_pow_parse(in, nonce, &p) == -1)
		return 0;
	/* What was accepted fits and has the shape the MAC check expects. */
	if (strlen(p.rnd) != RAND_ID_LEN || strlen(p.mac) != SECRETS_HASH_LEN ||
	    strlen(p.payload) >= sizeof(p.payload) || p.ts < 0 ||
	    strncmp(in, p.payload, strlen(p.payload)) != 0)
		abort();
	return 0;
}
