/*
 * The stages of a PATCH's end, shared by uploads.c (which does them in
 * turn for uploads_patch_end) and uploads_sync.c (which does them on its
 * own threads, the database stage for many PATCHes in one transaction).
 */
#ifndef ST_UPLOADS_INT_H
#define ST_UPLOADS_INT_H

#include <stdint.h>

#include "db/db.h"
#include "domain/uploads.h"

/* A PATCH's place in the queues of uploads_sync.c. */
struct upload_job {
	uploads_done_fn done;
	void *arg;
	int recorded; /* stage 2 went through */
	struct upload_job *next;
};

/* The upload that holds job. */
struct upload *upload_of_job(struct upload_job *job);
struct upload_job *upload_job(struct upload *up);

/*
 * Stage 1, the blob: the buffered rest written, the bytes made durable
 * (fdatasync), the object committed on the last byte. No database work.
 */
void upload_settle_blob(struct upload *up);
/*
 * Stage 2, the database: the new offset (and header hash, and the event
 * of a finished file), in c's transaction or alone. Safe to repeat.
 */
enum db_status upload_record(struct db_conn *c, struct upload *up);
/*
 * Fills info with the offset now acknowledged (the old one when
 * !recorded) and frees up. Returns that offset.
 */
uint64_t upload_finish(
    struct upload *up, int recorded, struct upload_info *info);

#endif
