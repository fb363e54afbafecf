/* The key directory; see directory.h. */
#include "util/common.h"

#include "db/users_db.h"
#include "domain/directory.h"

int
directory_lookup(struct db_conn *c, const char *email, struct user *u)
{
	int found = users_by_email(c, email, u);

	/* Not yet verified: an unconfirmed registration publishes nothing,
	 * or whoever registers first could receive someone else's mail. */
	if (found == 1 &&
	    (!u->verified || u->key_id == NULL || u->keys.x25519_pk == NULL ||
	        u->keys.ed25519_pk == NULL || strcmp(u->id, "external") == 0)) {
		user_release(u);
		found = 0;
	}
	return found;
}
