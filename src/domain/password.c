/* Auth-key verifiers with a bounded number of Argon2 runs; password.h. */
#include "util/common.h"

#include <semaphore.h>
#include <time.h>
#include <unistd.h>

#include "domain/password.h"

#define OPS 2
#define MEM (19u << 20)

static sem_t slots;
static int ready;
static char dummy[PW_VERIFIER_MAX];

void
password_init(unsigned parallel)
{
	unsigned char junk[32];
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (parallel == 0)
		parallel = n > 0 ? (unsigned)n : 1;
	sem_init(&slots, 0, parallel);
	/* A verifier for unknown accounts, so both paths cost the same. */
	randombytes_buf(junk, sizeof(junk));
	if (crypto_pwhash_str(
	        dummy, (const char *)junk, sizeof(junk), OPS, MEM) != 0)
		abort();
	ready = 1;
}

static int
take_slot(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 2;
	while (sem_timedwait(&slots, &ts) == -1)
		if (errno != EINTR)
			return -1;
	return 0;
}

static void
peppered(const unsigned char *pepper, const unsigned char *auth_key,
    unsigned char out[crypto_auth_hmacsha256_BYTES])
{
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, pepper, 32);
	crypto_auth_hmacsha256_update(&st, auth_key, PW_AUTH_KEY_LEN);
	crypto_auth_hmacsha256_final(&st, out);
}

enum pw_result
password_make(const unsigned char *pepper,
    const unsigned char auth_key[PW_AUTH_KEY_LEN], char out[PW_VERIFIER_MAX])
{
	unsigned char h[crypto_auth_hmacsha256_BYTES];
	int r;

	if (!ready || take_slot() == -1)
		return PW_BUSY;
	peppered(pepper, auth_key, h);
	r = crypto_pwhash_str(out, (const char *)h, sizeof(h), OPS, MEM);
	sodium_memzero(h, sizeof(h));
	sem_post(&slots);
	return r == 0 ? PW_OK : PW_ERROR;
}

enum pw_result
password_check(const unsigned char *pepper,
    const unsigned char auth_key[PW_AUTH_KEY_LEN], const char *verifier)
{
	unsigned char h[crypto_auth_hmacsha256_BYTES];
	int r;

	if (!ready || take_slot() == -1)
		return PW_BUSY;
	peppered(pepper, auth_key, h);
	r = crypto_pwhash_str_verify(
	    verifier != NULL ? verifier : dummy, (const char *)h, sizeof(h));
	sodium_memzero(h, sizeof(h));
	sem_post(&slots);
	if (verifier == NULL)
		return PW_MISMATCH;
	return r == 0 ? PW_OK : PW_MISMATCH;
}
