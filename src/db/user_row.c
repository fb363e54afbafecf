/* Freeing account rows; see user_row.h. */
#include "util/common.h"

#include "db/user_row.h"

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
