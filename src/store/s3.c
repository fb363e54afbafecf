/*
 * The S3 blob store (store.driver = s3): committed objects are
 * objects/<key> in the bucket. A tus upload is one multipart upload whose
 * id and part ETags are rows in the database (db/s3_db.h), so any node
 * can continue or complete it. Part n holds bytes [(n-1)*P, n*P) for the
 * part size P of the upload (>= 5 MiB, as S3 wants for all parts but the
 * last). The bytes of a part not yet full are kept, at each sync, in the
 * staging object staging/<key>/<n>; the next writer reads them back, so
 * an acknowledged offset survives the node that acknowledged it.
 *
 * Memory: a writer holds at most one part; a reader a small window
 * (s3_read.c). Requests and signing: s3_http.c.
 */
#include "util/common.h"

#include "db/db.h"
#include "db/s3_db.h"
#include "store/backend.h"
#include "store/s3_http.h"
#include "store/s3_list.h"
#include "store/s3_read.h"
#include "store/s3_xml.h"
#include "util/clock.h"
#include "util/log.h"

#define XML_MAX (1u << 20)

struct s3_writer {
	struct s3 *s;
	char key[65];
	char *upload_id; /* NULL until the first full part */
	uint64_t ps; /* part size of this upload */
	int64_t part; /* the part being filled, from 1 */
	uint64_t pos; /* bytes of the object written so far */
	struct buf b; /* the bytes of part so far, at most ps */
	int dirty; /* b has bytes the staging object lacks */
	int failed; /* a request failed: nothing more is acknowledged */
	int finished; /* the object was committed before this writer */
};

static void *
s3_open(const struct config *cfg, struct db *db)
{
	struct s3 *s = xcalloc(1, sizeof(*s));

	if (s3_setup(s, cfg) == -1) {
		s3_teardown(s);
		free(s);
		return NULL;
	}
	s->db = db;
	/* Where objects go (never the credentials). */
	log_info("s3 store", "{s:s,s:I}", "url", s->base, "part_size",
	    (long long)s->part_size);
	return s;
}

static void
s3_close(void *h)
{
	struct s3 *s = h;

	s3_teardown(s);
	free(s);
}

/* Whether objects/<key> exists with exactly size bytes. */
static int
committed_at(struct s3 *s, const char *key, uint64_t size)
{
	struct s3_resp r = { 0 };
	char path[S3_PATH_MAX];

	s3_obj_path(path, key);
	return s3_call(s, "HEAD", path, "", NULL, 0, &r) == 0 &&
	    r.status == 200 && r.length == size;
}

static void
drop_tail(struct s3_writer *w, int64_t part)
{
	char path[S3_PATH_MAX];

	s3_tail_path(path, w->key, part);
	if (s3_delete_object(w->s, path) == -1)
		log_warn("cannot drop a staged part", "{s:s}", "path", path);
}

/* Reads the first n bytes of the staging object of w->part into w->b. */
static int
load_tail(struct s3_writer *w, uint64_t n)
{
	struct s3_resp r = { 0 };
	char path[S3_PATH_MAX];

	s3_tail_path(path, w->key, w->part);
	r.body = &w->b;
	if (s3_call(w->s, "GET", path, "", NULL, 0, &r) == -1)
		return -1;
	if (r.status != 200 || w->b.len < n) {
		if (r.status != 200)
			s3_fail(&r, "read staged part", path);
		else
			log_error("staged part shorter than acknowledged",
			    "{s:s}", "path", path);
		errno = EIO;
		return -1;
	}
	/* A longer one holds bytes a PATCH wrote but never acknowledged. */
	w->b.len = n;
	w->b.data[n] = '\0';
	return 0;
}

/* The upload rows of key: the parts up to k stay, later ones go. */
static int
resume_rows(struct s3_writer *w, uint64_t offset, int *found)
{
	struct db_conn *c = db_get(w->s->db);
	int64_t ps = 0, k;
	int rc = 0;

	*found = s3db_upload_get(c, w->key, &w->upload_id, &ps);
	if (*found == 1)
		w->ps = (uint64_t)ps;
	k = (int64_t)(offset / w->ps);
	if (*found == -1)
		rc = -1;
	else if (*found == 1 &&
	    (s3db_parts_trim(c, w->key, k) != DB_OK ||
	        s3db_parts_count(c, w->key, k) != k)) {
		log_error("s3 parts missing for the acknowledged offset",
		    "{s:s}", "key", w->key);
		rc = -1;
	}
	db_put(c);
	w->part = k + 1;
	if (rc == -1)
		errno = EIO;
	return rc;
}

static void *
s3_writer_open(void *h, const char *key, uint64_t offset)
{
	struct s3_writer *w = xcalloc(1, sizeof(*w));
	uint64_t rem;
	int found;

	w->s = h;
	snprintf(w->key, sizeof(w->key), "%s", key);
	w->ps = w->s->part_size;
	w->pos = offset;
	if (resume_rows(w, offset, &found) == -1)
		goto fail;
	buf_init(&w->b, (size_t)w->ps);
	rem = offset - (uint64_t)(w->part - 1) * w->ps;
	if (found == 0 && (w->part > 1 || rem > 0) &&
	    committed_at(w->s, key, offset)) {
		w->finished = 1; /* only a commit (a no-op) can follow */
		return w;
	}
	if (found == 0 && w->part > 1) {
		log_error("s3 upload state lost", "{s:s}", "key", key);
		errno = EIO;
		goto fail;
	}
	if (rem > 0 && load_tail(w, rem) == -1)
		goto fail;
	/* The staging object of the part before is in that part now (the
	 * common leftover: a PATCH that ended mid-part, then one that filled
	 * it). Rarer ones (a PATCH that died) go when the upload is completed
	 * or deleted, or with the sweep. One DELETE, not a listing, per
	 * PATCH. */
	if (found == 1 && w->part > 1)
		drop_tail(w, w->part - 1);
	return w;
fail:
	buf_release(&w->b);
	free(w->upload_id);
	free(w);
	return NULL;
}

/* CreateMultipartUpload, recorded so any node can continue it. */
static int
create_upload(struct s3_writer *w)
{
	char path[S3_PATH_MAX], id[1024];
	struct s3_resp r = { 0 };
	struct db_conn *c;
	struct buf body;
	const char *p;
	int rc = -1;

	s3_obj_path(path, w->key);
	buf_init(&body, XML_MAX);
	r.body = &body;
	if (s3_call(w->s, "POST", path, "uploads=", "", 0, &r) == -1)
		goto out;
	p = buf_str(&body);
	if (r.status != 200 ||
	    s3_xml_next(&p, p + body.len, "UploadId", id, sizeof(id)) == -1) {
		s3_fail(&r, "create multipart upload", path);
		goto out;
	}
	c = db_get(w->s->db);
	if (s3db_upload_put(c, w->key, id, (int64_t)w->ps, clock_now()) ==
	    DB_OK) {
		w->upload_id = xstrdup(id);
		rc = 0;
	} else
		errno = EIO;
	db_put(c);
out:
	buf_release(&body);
	return rc;
}

/* UploadPart of w->b as part w->part; then the next part begins. */
static int
upload_part(struct s3_writer *w)
{
	char path[S3_PATH_MAX], q[1200], eid[1024];
	struct s3_resp r = { 0 };
	struct db_conn *c;
	enum db_status st;

	if (w->upload_id == NULL && create_upload(w) == -1)
		return -1;
	s3_obj_path(path, w->key);
	if (s3_query_escape(w->upload_id, eid, sizeof(eid)) == -1) {
		errno = EIO;
		return -1;
	}
	snprintf(
	    q, sizeof(q), "partNumber=%" PRId64 "&uploadId=%s", w->part, eid);
	if (s3_call(w->s, "PUT", path, q, w->b.data != NULL ? w->b.data : "",
	        w->b.len, &r) == -1)
		return -1;
	if (r.status != 200 || r.etag[0] == '\0') {
		s3_fail(&r, "upload part", path);
		return -1;
	}
	c = db_get(w->s->db);
	st = s3db_part_put(c, w->key, w->part, r.etag);
	db_put(c);
	if (st != DB_OK) {
		errno = EIO;
		return -1;
	}
	w->part++;
	buf_reset(&w->b);
	w->dirty = 0;
	return 0;
}

static int
s3_write(void *h, const void *data, size_t len)
{
	struct s3_writer *w = h;
	const char *p = data;

	if (w->failed || w->finished) {
		errno = EIO;
		return -1;
	}
	while (len > 0) {
		size_t n = (size_t)w->ps - w->b.len;

		if (n > len)
			n = len;
		if (buf_add(&w->b, p, n) == -1) {
			errno = ENOMEM;
			return -1;
		}
		w->dirty = 1;
		p += n;
		len -= n;
		w->pos += n;
		if (w->b.len == w->ps && upload_part(w) == -1) {
			w->failed = 1;
			return -1;
		}
	}
	return 0;
}

/* Puts bytes as the object at path (a staging part, a small object). */
static int
put_object(struct s3 *s, const char *path, const struct buf *b)
{
	struct s3_resp r = { 0 };

	if (s3_call(s, "PUT", path, "", b->data != NULL ? b->data : "", b->len,
	        &r) == -1)
		return -1;
	if (r.status != 200) {
		s3_fail(&r, "put", path);
		return -1;
	}
	return 0;
}

static int
s3_sync(void *h)
{
	struct s3_writer *w = h;
	char path[S3_PATH_MAX];

	if (w->failed) {
		errno = EIO;
		return -1;
	}
	if (w->finished || !w->dirty || w->b.len == 0)
		return 0;
	s3_tail_path(path, w->key, w->part);
	if (put_object(w->s, path, &w->b) == -1) {
		w->failed = 1;
		return -1;
	}
	w->dirty = 0;
	return 0;
}

static int
add_part_xml(int64_t no, const char *etag, void *arg)
{
	struct buf *x = arg;
	const char *p;

	if (buf_printf(x, "<Part><PartNumber>%" PRId64 "</PartNumber><ETag>",
	        no) == -1)
		return -1;
	for (p = etag; *p != '\0'; p++)
		if ((*p == '"'        ? buf_adds(x, "&quot;") :
		            *p == '&' ? buf_adds(x, "&amp;") :
		            *p == '<' ? buf_adds(x, "&lt;") :
		                        buf_addc(x, *p)) == -1)
			return -1;
	return buf_adds(x, "</ETag></Part>");
}

/* CompleteMultipartUpload with the parts the database holds. */
static int
complete_upload(struct s3_writer *w)
{
	char path[S3_PATH_MAX], q[1100], eid[1024];
	struct s3_resp r = { 0 };
	struct buf x, body;
	struct db_conn *c;
	int rc = -1;

	s3_obj_path(path, w->key);
	buf_init(&x, (size_t)10000 * 256 + 256);
	buf_init(&body, XML_MAX);
	buf_adds(&x, "<CompleteMultipartUpload>");
	c = db_get(w->s->db);
	if (s3db_parts_each(c, w->key, add_part_xml, &x) == -1) {
		db_put(c);
		errno = EIO;
		goto out;
	}
	db_put(c);
	if (buf_adds(&x, "</CompleteMultipartUpload>") == -1 ||
	    s3_query_escape(w->upload_id, eid, sizeof(eid)) == -1) {
		errno = EIO;
		goto out;
	}
	snprintf(q, sizeof(q), "uploadId=%s", eid);
	r.body = &body;
	if (s3_call(w->s, "POST", path, q, x.data, x.len, &r) == -1)
		goto out;
	/* S3 may answer 200 and report an error in the body. */
	if (r.status == 200 && strstr(buf_str(&body), "<Error>") == NULL)
		rc = 0;
	else if (r.status == 404 && committed_at(w->s, w->key, w->pos))
		rc = 0; /* completed by an earlier try */
	else
		s3_fail(&r, "complete multipart upload", path);
out:
	buf_release(&x);
	buf_release(&body);
	return rc;
}

static int
s3_commit(void *h)
{
	struct s3_writer *w = h;
	char path[S3_PATH_MAX];
	struct db_conn *c;

	if (w->finished)
		return 0;
	if (w->failed) {
		errno = EIO;
		return -1;
	}
	if (w->upload_id == NULL) {
		/* Smaller than a part: one plain object. */
		s3_obj_path(path, w->key);
		if (put_object(w->s, path, &w->b) == -1)
			return -1;
	} else if ((w->b.len > 0 && upload_part(w) == -1) ||
	    complete_upload(w) == -1) {
		w->failed = 1;
		return -1;
	}
	/* The object is whole: forget the upload, then its staging. A crash
	 * in between leaves rows a retry sees through (committed_at). */
	c = db_get(w->s->db);
	(void)s3db_forget(c, w->key);
	db_put(c);
	if (s3_drop_tails(w->s, w->key, 0) == -1)
		log_warn("cannot drop staged parts", "{s:s}", "key", w->key);
	w->finished = 1;
	return 0;
}

static void
s3_writer_close(void *h)
{
	struct s3_writer *w = h;

	buf_release(&w->b);
	free(w->upload_id);
	free(w);
}

static int
s3_delete(void *h, const char *key)
{
	struct s3 *s = h;
	char path[S3_PATH_MAX], *uid = NULL;
	struct db_conn *c = db_get(s->db);
	int64_t ps;
	int found, rc = 0;

	found = s3db_upload_get(c, key, &uid, &ps);
	if (found == 1 && s3_abort_upload(s, key, uid) == 0)
		(void)s3db_forget(c, key);
	else if (found != 0)
		rc = -1;
	db_put(c);
	free(uid);
	if (s3_drop_tails(s, key, 0) == -1)
		rc = -1;
	s3_obj_path(path, key);
	if (s3_delete_object(s, path) == -1)
		rc = -1;
	if (rc == -1)
		errno = EIO;
	return rc;
}

const struct blob_backend blob_s3_backend = {
	.name = "s3",
	.open = s3_open,
	.close = s3_close,
	.writer_open = s3_writer_open,
	.write = s3_write,
	.sync = s3_sync,
	.commit = s3_commit,
	.writer_close = s3_writer_close,
	.reader_open = s3_reader_open,
	.read = s3_read,
	.take_fd = s3_take_fd,
	.reader_close = s3_reader_close,
	.remove = s3_delete,
	.free_bytes = s3_free_bytes,
	.sweep = s3_sweep,
};
