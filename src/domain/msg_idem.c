/*
 * msg_idem.c: retry-safe message creation (an Idempotency-Key). The same
 * key with the same request names the message made before; with another
 * request it is refused. Both run inside the creation's transaction.
 */
#include "util/common.h"
#include <string.h>
#include "db/idempotency_db.h"
#include "domain/msg_idem.h"
#include "util/clock.h"

/*
 * An Idempotency-Key seen before: the message it made (out->replayed), or
 * a refusal when the request differs. Inside the creation's transaction.
 */
struct st_result
msg_idem_check(
    struct db_conn *c, const struct msg_create_in *in, struct msg_created *out)
{
	char hash[IDEM_HASH_LEN + 1], id[RAND_ID_LEN + 1];
	int got;

	if (in->idem_key == NULL)
		return st_res(ST_OK, NULL, NULL);
	got = idem_get(c, in->sender->id, in->idem_key, hash, id);
	if (got == -1)
		return st_res(ST_ERROR, "internal", "database");
	if (got == 0)
		return st_res(ST_OK, NULL, NULL);
	if (strcmp(hash, in->idem_hash) != 0)
		return st_res(ST_UNPROCESSABLE, "idempotency_key_reused",
		    "this Idempotency-Key was used for another request");
	memcpy(out->id, id, sizeof(out->id));
	out->replayed = 1;
	return st_res(ST_OK, NULL, NULL);
}

/* Records the key with the message, in the same transaction. */
struct st_result
msg_idem_record(struct db_conn *c, const struct msg_create_in *in,
    const struct msg_created *out)
{
	enum db_status st;

	if (in->idem_key == NULL)
		return st_res(ST_OK, NULL, NULL);
	st = idem_put(c, in->sender->id, in->idem_key, in->idem_hash, out->id,
	    clock_now());
	if (st == DB_CONSTRAINT)
		return st_res(ST_CONFLICT, "idempotency_race", "");
	return st == DB_OK ? st_res(ST_OK, NULL, NULL) :
	                     st_res(ST_ERROR, "internal", "database");
}
