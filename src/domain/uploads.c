/* tus upload rules; see uploads.h. */
#include "util/common.h"

#include <jansson.h>
#include <sodium.h>

#include "db/db.h"
#include "db/messages_db.h"
#include "domain/access.h"
#include "domain/uploads.h"
#include "domain/uploads_int.h"
#include "envelope/stf1.h"
#include "store/blob.h"
#include "util/backoff.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/log.h"

/* A PATCH holds its lease this long and renews it while data flows. */
#define LEASE_US (30 * INT64_C(1000000))
#define RENEW_US (10 * INT64_C(1000000))

/*
 * Body bytes arrive in the pieces libmicrohttpd reads (tens of KiB).
 * Coalescing them into writes of up to COALESCE bytes cuts the system
 * calls (fs) and copies (s3) per byte (bench/upload-ingest).
 * The buffer is only as large as the PATCH body, so many small concurrent
 * uploads stay small. Nothing buffered is acknowledged: the offset a PATCH
 * reports is what was written and fdatasync'ed.
 */
#define COALESCE (512u * 1024u)

struct upload {
	const struct msg_env *env;
	struct file_row f;
	char msg_id[RAND_ID_LEN + 1];
	int64_t deadline;
	uint64_t start, written; /* written: stored in the blob */
	unsigned char header[STF1_HEADER_LEN];
	int refused; /* stop storing */
	int store_errno; /* the store's first failure, 0 none */
	int discard; /* acknowledge nothing of this PATCH (checksum) */
	int64_t renewed_us;
	unsigned char *pend; /* bytes at start + written, not yet stored */
	size_t npend, cap;
	struct blob_writer *w; /* opened at the first bytes to store */
	uint64_t off; /* durable after upload_settle_blob */
	int done; /* the object committed */
	struct upload_job job; /* uploads_patch_end_async */
};

struct upload *
upload_of_job(struct upload_job *job)
{
	return (struct upload *)(void *)((char *)job -
	    offsetof(struct upload, job));
}

struct upload_job *
upload_job(struct upload *up)
{
	return &up->job;
}

static struct st_result
terminated(void)
{
	return st_res(ST_GONE, "upload_terminated",
	    "this upload was terminated; create it again to start over");
}

/*
 * Loads a file of u's message that is still uploading; a terminated
 * upload only for a new creation.
 */
static struct st_result
load(const struct msg_env *env, struct db_conn *c, const struct user *u,
    const char *file_id, struct file_row *f, struct msg_row *m, int creating)
{
	int found;

	if (!rand_id_valid(file_id) || (found = file_get(c, file_id, f)) == 0)
		return st_res(ST_NOT_FOUND, "not_found", "Not found");
	if (found == -1)
		return st_res(ST_ERROR, "internal", "database");
	if ((found = msg_get(c, f->message_id, m)) != 1 ||
	    access_manage(env, c, u, m).st != ST_OK) {
		if (found == 1)
			msg_row_release(m);
		file_row_release(f);
		return st_res(ST_NOT_FOUND, "not_found", "Not found");
	}
	if (f->started == FILE_UPLOAD_TERMINATED && !creating) {
		msg_row_release(m);
		file_row_release(f);
		return terminated();
	}
	if ((strcmp(m->state, "uploading") != 0 &&
	        strcmp(m->state, "aborted") != 0) ||
	    f->done) {
		msg_row_release(m);
		file_row_release(f);
		return st_res(ST_FORBIDDEN, "upload_complete",
		    "this upload is complete or the message was sent");
	}
	/* Aborted is the window closed, whether or not a node's job has
	 * noticed yet: the same answer either way. */
	if (m->upload_deadline < clock_now() ||
	    strcmp(m->state, "aborted") == 0) {
		msg_row_release(m);
		file_row_release(f);
		return st_res(ST_GONE, "upload_window_closed",
		    "the upload window has closed");
	}
	return st_res(ST_OK, NULL, NULL);
}

static void
fill_info(
    struct upload_info *info, const struct file_row *f, const struct msg_row *m)
{
	snprintf(info->msg_id, sizeof(info->msg_id), "%s", f->message_id);
	info->offset = (uint64_t)f->upload_offset;
	info->length = (uint64_t)f->ciphertext_size;
	info->deadline = m->upload_deadline;
	info->done = f->done;
}

struct st_result
uploads_create(const struct msg_env *env, const struct user *u,
    const char *file_id, uint64_t length, struct upload_info *info)
{
	struct db_conn *c = db_get(env->db);
	struct file_row f;
	struct msg_row m;
	struct st_result r = load(env, c, u, file_id, &f, &m, 1);
	int restart = 0, lease = 0;

	if (r.st != ST_OK) {
		db_put(c);
		return r;
	}
	if (length != (uint64_t)f.ciphertext_size)
		r = st_res(ST_INVALID, "bad_upload_length",
		    "Upload-Length is not the STF1 size of the document");
	else if ((lease = file_lease(c, f.id, env->cfg->server_node_id,
	              clock_now_us(), 0, -1)) == -1)
		r = st_res(ST_ERROR, "internal", "database");
	else if (lease == 1 || f.upload_offset == 0 ||
	    f.started == FILE_UPLOAD_TERMINATED)
		restart = 1; /* a new salt means new ciphertext: from nothing */
	else
		r = st_res(ST_CONFLICT, "upload_busy",
		    "a PATCH for this upload is in progress");
	/* Never call the store holding a connection: the S3 store takes one
	 * of its own, and as many creations as the pool has connections
	 * would wait for each other for ever. */
	db_put(c);
	if (restart) {
		blob_delete(env->store, f.object_key);
		c = db_get(env->db);
		if (file_restart(c, f.id) != DB_OK)
			r = st_res(ST_ERROR, "internal", "database");
		db_put(c);
		f.upload_offset = 0;
		fill_info(info, &f, &m);
	}
	msg_row_release(&m);
	file_row_release(&f);
	return r;
}

struct st_result
uploads_info(const struct msg_env *env, const struct user *u,
    const char *file_id, struct upload_info *info)
{
	struct db_conn *c = db_get(env->db);
	struct file_row f;
	struct msg_row m;
	int found = rand_id_valid(file_id) ? file_get(c, file_id, &f) : 0;
	struct st_result r = st_res(ST_NOT_FOUND, "not_found", "Not found");

	if (found == 1) {
		if (msg_get(c, f.message_id, &m) == 1) {
			/* An upload whose window closed is aborted and its
			 * bytes deleted: a client that asks where it stands
			 * hears so, as its next PATCH would (tus: 410). */
			int own = access_manage(env, c, u, &m).st == ST_OK;

			if (own && f.started == FILE_UPLOAD_TERMINATED) {
				r = terminated();
			} else if (own && strcmp(m.state, "aborted") == 0) {
				r = st_res(ST_GONE, "upload_aborted",
				    "the upload window closed; the message was "
				    "aborted");
			} else if (own) {
				fill_info(info, &f, &m);
				r = st_res(ST_OK, NULL, NULL);
			}
			msg_row_release(&m);
		}
		file_row_release(&f);
	}
	db_put(c);
	return r;
}

struct st_result
uploads_delete(
    const struct msg_env *env, const struct user *u, const char *file_id)
{
	struct db_conn *c = db_get(env->db);
	struct file_row f;
	struct msg_row m;
	struct st_result r = load(env, c, u, file_id, &f, &m, 0);

	/* Not while a PATCH holds the lease: it would write on. */
	if (r.st == ST_OK &&
	    file_lease(c, f.id, env->cfg->server_node_id, clock_now_us(), 0,
	        -1) != 1) {
		msg_row_release(&m);
		file_row_release(&f);
		r = st_res(ST_CONFLICT, "upload_busy",
		    "a PATCH for this upload is in progress");
	}
	db_put(c); /* not held across the store: see uploads_create */
	if (r.st == ST_OK) {
		blob_delete(env->store, f.object_key);
		c = db_get(env->db);
		if (file_terminate(c, f.id) != DB_OK)
			r = st_res(ST_ERROR, "internal", "database");
		db_put(c);
		msg_row_release(&m);
		file_row_release(&f);
	}
	return r;
}

int
uploads_release_leases(struct db *db, const char *node_id)
{
	struct db_conn *c = db_get(db);
	enum db_status st = files_release_leases(c, node_id);

	db_put(c);
	return st == DB_OK ? 0 : -1;
}

struct st_result
uploads_patch_begin(const struct msg_env *env, const struct user *u,
    const char *file_id, uint64_t offset, int64_t body_len, struct upload **out)
{
	struct db_conn *c = db_get(env->db);
	struct upload *up;
	struct msg_row m;
	struct file_row f;
	struct st_result r = load(env, c, u, file_id, &f, &m, 0);
	int64_t now_us = clock_now_us();
	int lease;

	*out = NULL;
	if (r.st != ST_OK) {
		db_put(c);
		return r;
	}
	if (offset != (uint64_t)f.upload_offset)
		r = st_res(ST_CONFLICT, "offset_mismatch",
		    "Upload-Offset is not the current offset");
	else if (body_len >= 0 &&
	    (uint64_t)body_len > (uint64_t)f.ciphertext_size - offset)
		r = st_res(ST_TOO_LARGE, "past_upload_length",
		    "the body goes past Upload-Length");
	else if ((lease = file_lease(c, f.id, env->cfg->server_node_id, now_us,
	              now_us + LEASE_US, (int64_t)offset)) != 1)
		/* Not taken because of another PATCH, or because the
		 * database takes no writes (a 503 or 507, not a 409). */
		r = lease == 0 ? st_res(ST_CONFLICT, "upload_busy",
		                     "another PATCH for this upload is in "
		                     "progress") :
		                 st_res(ST_ERROR, "internal", "database");
	if (r.st != ST_OK) {
		msg_row_release(&m);
		file_row_release(&f);
		db_put(c);
		return r;
	}
	up = xcalloc(1, sizeof(*up));
	up->env = env;
	up->f = f;
	memcpy(up->msg_id, m.id, sizeof(up->msg_id));
	up->deadline = m.upload_deadline;
	up->start = offset;
	up->renewed_us = now_us;
	up->cap = COALESCE;
	if (body_len >= 0 && (uint64_t)body_len < up->cap)
		up->cap = (size_t)body_len;
	msg_row_release(&m);
	db_put(c);
	*out = up;
	return r;
}

/* The header must belong to this message and file (SECURITY.md §1.9). */
static int
header_ok(struct upload *up)
{
	unsigned char want[RAND_ID_BYTES];
	struct stf1_file hf;

	if (stf1_header_parse(up->header, sizeof(up->header), &hf) != STF1_OK)
		return 0;
	if (b64u_decode(want, sizeof(want), up->msg_id, RAND_ID_LEN) !=
	    RAND_ID_BYTES)
		return 0;
	return memcmp(hf.msg_id, want, sizeof(want)) == 0 &&
	    hf.file_index == (uint32_t)up->f.idx &&
	    hf.record_size_log2 == STF1_LOG2_DEFAULT;
}

static void
renew_lease(struct upload *up)
{
	int64_t now_us = clock_now_us();
	struct db_conn *c;

	if (now_us - up->renewed_us < RENEW_US)
		return;
	c = db_get(up->env->db);
	(void)file_lease_renew(
	    c, up->f.id, up->env->cfg->server_node_id, now_us + LEASE_US);
	db_put(c);
	up->renewed_us = now_us;
}

/* Stores len bytes at start + written; 0 or -1 with errno. */
static int
store(struct upload *up, const void *data, size_t len)
{
	if (up->w == NULL &&
	    (up->w = blob_writer_open(
	         up->env->store, up->f.object_key, up->start)) == NULL)
		return -1;
	if (blob_writer_write(up->w, data, len) == -1)
		return -1;
	up->written += len;
	return 0;
}

/* A store that does not answer (S3 down, an I/O error): said once a
 * minute, not once per PATCH. */
static struct log_every store_log = LOG_EVERY_INIT(60000);

static void
store_failed(struct upload *up, const char *what)
{
	unsigned long repeats;

	if (up->store_errno == 0)
		up->store_errno = errno != 0 ? errno : EIO;
	if (up->store_errno != ENOSPC && up->store_errno != EDQUOT &&
	    log_every_due(&store_log, &repeats))
		log_error("blob store failed", "{s:s,s:s,s:I}", "step", what,
		    "error", strerror(up->store_errno), "repeats",
		    (json_int_t)repeats);
}

static struct st_result
write_failed(struct upload *up)
{
	up->refused = 1;
	store_failed(up, "write");
	if (up->store_errno == ENOSPC || up->store_errno == EDQUOT)
		return st_res(ST_NO_SPACE, "insufficient_storage",
		    "the storage is full; try again later");
	return st_res(ST_BUSY, "storage_unavailable",
	    "the storage does not answer; try again later");
}

/* Writes out what is buffered. */
static int
flush(struct upload *up)
{
	size_t n = up->npend;

	if (n == 0)
		return 0;
	up->npend = 0;
	return store(up, up->pend, n);
}

/* Takes len body bytes: buffered, or written through when large. */
static int
take(struct upload *up, const char *data, size_t len)
{
	if (up->cap == 0)
		return store(up, data, len);
	if (up->pend == NULL)
		up->pend = xmalloc(up->cap);
	while (len > 0) {
		size_t n;

		if (up->npend == 0 && len >= up->cap)
			return store(up, data, len);
		n = up->cap - up->npend < len ? up->cap - up->npend : len;
		memcpy(up->pend + up->npend, data, n);
		up->npend += n;
		data += n;
		len -= n;
		if (up->npend == up->cap && flush(up) == -1)
			return -1;
	}
	return 0;
}

struct st_result
uploads_patch_data(struct upload *up, const char *data, size_t len)
{
	uint64_t at = up->start + up->written + up->npend;

	if (up->refused)
		return st_res(ST_INVALID, "refused", "refused");
	if (len > (uint64_t)up->f.ciphertext_size - at) {
		up->refused = 1;
		return st_res(ST_TOO_LARGE, "past_upload_length",
		    "the body goes past Upload-Length");
	}
	if (at < STF1_HEADER_LEN) {
		size_t n = STF1_HEADER_LEN - at < len ? STF1_HEADER_LEN - at :
		                                        len;

		memcpy(up->header + at, data, n);
		if (at + n == STF1_HEADER_LEN && !header_ok(up)) {
			up->refused = 1;
			return st_res(ST_INVALID, "bad_header",
			    "not an STF1 header for this message and file");
		}
	}
	if (take(up, data, len) == -1)
		return write_failed(up);
	renew_lease(up);
	return st_res(ST_OK, NULL, NULL);
}

void
uploads_patch_discard(struct upload *up)
{
	up->discard = 1;
	up->refused = 1;
}

/* The header hash goes into the manifest; keep it for a sender who
 * reloads mid-upload. */
static void
record_header(struct db_conn *c, struct upload *up)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char b[48];

	crypto_hash_sha256(h, up->header, sizeof(up->header));
	b64u_encode(b, sizeof(b), h, sizeof(h));
	(void)file_set_header(c, up->f.id, b);
}

void
upload_settle_blob(struct upload *up)
{
	const struct msg_env *env = up->env;
	uint64_t off, len = (uint64_t)up->f.ciphertext_size;

	/* The buffered rest; a failed write's bytes are not counted. */
	if (flush(up) == -1)
		(void)write_failed(up);
	free(up->pend);
	up->pend = NULL;
	off = up->start + up->written;

	/* A header still incomplete or refused is not kept, nor a body
	 * whose checksum did not match: the next writer, opened at the
	 * acknowledged offset, drops what was staged past it. */
	if (up->discard || (off < STF1_HEADER_LEN && off != len))
		off = up->start;
	if (up->refused && up->start < STF1_HEADER_LEN &&
	    off >= STF1_HEADER_LEN && !header_ok(up))
		off = up->start;
	if (off > up->start && blob_writer_sync(up->w) == -1) {
		store_failed(up, "sync");
		off = up->start;
	}
	/* The last byte: commit (also a retry of a commit that failed, by a
	 * PATCH with no body at the end). */
	if (off == len && up->w == NULL)
		up->w = blob_writer_open(env->store, up->f.object_key, off);
	if (off == len && up->w != NULL && blob_writer_commit(up->w) == 0)
		up->done = 1;
	else if (off == len)
		store_failed(up, "commit");
	blob_writer_close(up->w);
	up->w = NULL;
	up->off = off;
}

enum db_status
upload_record(struct db_conn *c, struct upload *up)
{
	enum db_status st;

	if (up->start == 0 && up->off >= STF1_HEADER_LEN)
		record_header(c, up);
	st = file_set_offset(c, up->f.id, (int64_t)up->off, up->done);
	if (st == DB_OK && up->done)
		(void)event_add(c, up->msg_id, "file.uploaded", NULL,
		    up->env->ip, up->f.name);
	return st;
}

uint64_t
upload_finish(struct upload *up, int recorded, struct upload_info *info)
{
	uint64_t off = recorded ? up->off : up->start;

	info->offset = off;
	info->length = (uint64_t)up->f.ciphertext_size;
	info->deadline = up->deadline;
	info->done = recorded && up->done;
	info->store_errno = up->store_errno;
	/* The record was tried on this thread just before. */
	info->db_fault = recorded ? DB_FAULT_NONE : (int)db_fault_get();
	snprintf(info->msg_id, sizeof(info->msg_id), "%s", up->msg_id);
	file_row_release(&up->f);
	free(up);
	return off;
}

uint64_t
uploads_patch_end(struct upload *up, struct upload_info *info)
{
	struct db_conn *c;
	int recorded;

	upload_settle_blob(up);
	c = db_get(up->env->db);
	db_fault_clear();
	recorded = upload_record(c, up) == DB_OK;
	db_put(c);
	return upload_finish(up, recorded, info);
}
