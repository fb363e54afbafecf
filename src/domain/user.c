/* The key id of an account; see user.h. */
#include "util/common.h"

#include <sodium.h>

#include "domain/user.h"

int
user_key_id_of(const char *pk_b64, char out[RAND_ID_LEN + 1])
{
	unsigned char pk[32], digest[32];

	if (pk_b64 == NULL ||
	    b64u_decode(pk, sizeof(pk), pk_b64, strlen(pk_b64)) != 32)
		return -1;
	crypto_hash_sha256(digest, pk, sizeof(pk));
	b64u_encode(out, RAND_ID_LEN + 1, digest, 16);
	return 0;
}
