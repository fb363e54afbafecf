/*
 * The SHA-256 of each stored ciphertext object, for the delivery report
 * (P4): computed once the upload is complete, in the background, so the
 * last PATCH is not held up by a read of the whole object. A sender and a
 * recipient can compare it with the bytes they hold.
 */
#include "util/common.h"

#include <sodium.h>

#include "db/db.h"
#include "db/messages_db.h"
#include "domain/messages.h"
#include "jobs/jobs.h"
#include "store/blob.h"
#include "util/log.h"

#define HASH_BATCH 16
#define READ_BUF (1u << 20)

/* Hashes the object of f into out (b64u); 0, or -1 (logged). */
static int
hash_object(
    struct blob_store *bs, const struct file_row *f, char out[48], void *buf)
{
	crypto_hash_sha256_state st;
	unsigned char h[crypto_hash_sha256_BYTES];
	struct blob_reader *r;
	uint64_t size, pos;
	ssize_t n;

	if ((r = blob_reader_open(bs, f->object_key, &size)) == NULL)
		return -1;
	crypto_hash_sha256_init(&st);
	for (pos = 0; pos < size; pos += (uint64_t)n) {
		n = blob_reader_read(r, pos, buf,
		    size - pos < READ_BUF ? (size_t)(size - pos) : READ_BUF);
		if (n <= 0) {
			blob_reader_close(r);
			return -1;
		}
		crypto_hash_sha256_update(&st, buf, (unsigned long long)n);
	}
	blob_reader_close(r);
	crypto_hash_sha256_final(&st, h);
	b64u_encode(out, 48, h, sizeof(h));
	return 0;
}

/* One batch; the number hashed, or -1. */
static int
hash_batch(const struct msg_env *env, struct db_conn *c, void *buf, int *n)
{
	char ids[HASH_BATCH][RAND_ID_LEN + 1], sum[48];
	struct file_row f;
	int i, done = 0;

	if ((*n = files_unhashed(c, ids, HASH_BATCH)) == -1)
		return -1;
	for (i = 0; i < *n; i++) {
		if (file_get(c, ids[i], &f) != 1)
			continue;
		/* A purge may have taken the object meanwhile: no matter. */
		if (hash_object(env->store, &f, sum, buf) == 0 &&
		    file_set_ciphertext_hash(c, f.id, sum) == DB_OK)
			done++;
		else
			log_warn(
			    "cannot hash object", "{s:s}", "file_id", f.id);
		file_row_release(&f);
	}
	return done;
}

int
jobs_hash_files(const struct msg_env *env)
{
	struct db_conn *c = db_get(env->db);
	void *buf = xmalloc(READ_BUF);
	int n, done, total = 0;

	/* Until none are left, or a batch makes no progress. */
	do {
		if ((done = hash_batch(env, c, buf, &n)) == -1)
			break;
		total += done;
	} while (n == HASH_BATCH && done > 0);
	free(buf);
	db_put(c);
	return done == -1 ? -1 : total;
}
