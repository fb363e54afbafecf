/* Freeing accounts; see user.h. */
#include "util/common.h"

#include <sodium.h>

#include "domain/user.h"

void
user_keys_release(struct user_keys *k)
{
	free(k->kdf_salt);
	free(k->wrapped_uk_pw);
	free(k->wrapped_uk_rec);
	free(k->x25519_pk);
	free(k->ed25519_pk);
	free(k->wrapped_x25519_sk);
	free(k->wrapped_ed25519_sk);
	memset(k, 0, sizeof(*k));
}

void
user_release(struct user *u)
{
	free(u->email);
	free(u->name);
	free(u->verifier);
	free(u->key_id);
	user_keys_release(&u->keys);
	memset(u, 0, sizeof(*u));
}

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
