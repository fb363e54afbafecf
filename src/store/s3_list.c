/*
 * Listing the bucket for the s3 backend: ListObjectsV2 page by page, the
 * staging objects of a key, and the sweep of leftovers that purge runs
 * (staging older than every upload window, multipart uploads no row
 * knows). Internal to src/store; see s3.c for the layout.
 */
#include "util/common.h"

#include <time.h>

#include "db/db.h"
#include "db/s3_db.h"
#include "store/s3_http.h"
#include "store/s3_list.h"
#include "store/s3_xml.h"
#include "util/log.h"

#define XML_MAX (1u << 20)
#define LIST_PAGES_MAX 1000

/* A blob key is at most 64 characters (blob_key_ok), so the longest path,
 * "staging/<key>/<part>", always fits: no truncation to check. */
_Static_assert(S3_PATH_MAX >= sizeof("staging/") + 64 + 1 + 20,
    "S3_PATH_MAX holds every object path");

void
s3_obj_path(char out[S3_PATH_MAX], const char *key)
{
	snprintf(out, S3_PATH_MAX, "objects/%s", key);
}

void
s3_tail_path(char out[S3_PATH_MAX], const char *key, int64_t part)
{
	snprintf(out, S3_PATH_MAX, "staging/%s/%" PRId64, key, part);
}

/* "2026-11-23T13:42:46.000Z" as a Unix time; -1 when malformed. */
static int64_t
iso_time(const char *t)
{
	struct tm tm;
	int n = 0;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(t, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon,
	        &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 ||
	    n < 19)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t)timegm(&tm);
}

/* Calls fn for every object under prefix (ListObjectsV2, page by page). */
int
s3_list_objects(struct s3 *s, const char *prefix, list_fn fn, void *arg)
{
	char q[4096], ep[512], token[1024], et[3 * 1024], key[1024], t[64];
	struct s3_resp r = { 0 };
	struct buf body;
	int pages, rc = 0;

	token[0] = '\0';
	if (s3_query_escape(prefix, ep, sizeof(ep)) == -1)
		return -1;
	buf_init(&body, XML_MAX);
	r.body = &body;
	for (pages = 0; pages < LIST_PAGES_MAX && rc == 0; pages++) {
		const char *p, *end;

		buf_reset(&body);
		if (s3_query_escape(token, et, sizeof(et)) == -1)
			break;
		snprintf(q, sizeof(q), "%s%s%slist-type=2&prefix=%s",
		    token[0] ? "continuation-token=" : "", token[0] ? et : "",
		    token[0] ? "&" : "", ep);
		if (s3_call(s, "GET", "", q, NULL, 0, &r) == -1 ||
		    r.status != 200) {
			if (r.status != 0)
				s3_fail(&r, "list", prefix);
			rc = -1;
			break;
		}
		p = buf_str(&body);
		end = p + body.len;
		while (rc == 0 &&
		    s3_xml_next(&p, end, "Key", key, sizeof(key)) == 0) {
			if (s3_xml_next(
			        &p, end, "LastModified", t, sizeof(t)) == -1)
				t[0] = '\0';
			rc = fn(key, iso_time(t), arg);
		}
		p = buf_str(&body);
		if (strstr(p, "<IsTruncated>true</IsTruncated>") == NULL ||
		    s3_xml_next(&p, end, "NextContinuationToken", token,
		        sizeof(token)) == -1)
			break;
	}
	buf_release(&body);
	return rc;
}

int
s3_delete_object(struct s3 *s, const char *path)
{
	struct s3_resp r = { 0 };

	if (s3_call(s, "DELETE", path, "", NULL, 0, &r) == -1)
		return -1;
	if (r.status != 204 && r.status != 200 && r.status != 404) {
		s3_fail(&r, "delete", path);
		return -1;
	}
	return 0;
}

struct tails {
	struct s3 *s;
	char keep[S3_PATH_MAX];
	int failed;
};

static int
drop_tail(const char *key, int64_t mtime, void *arg)
{
	struct tails *t = arg;

	(void)mtime;
	if (strcmp(key, t->keep) != 0 && s3_delete_object(t->s, key) == -1)
		t->failed = 1;
	return 0;
}

/* Deletes the staging objects of key but the one of part keep (0: all). */
int
s3_drop_tails(struct s3 *s, const char *key, int64_t keep)
{
	struct tails t = { s, "", 0 };
	char prefix[S3_PATH_MAX];

	snprintf(prefix, sizeof(prefix), "staging/%s/", key);
	if (keep > 0)
		s3_tail_path(t.keep, key, keep);
	return s3_list_objects(s, prefix, drop_tail, &t) == -1 || t.failed ?
	    -1 :
	    0;
}

int
s3_free_bytes(void *h, uint64_t *out)
{
	(void)h;
	(void)out;
	return -1; /* a bucket has no free space to tell */
}

struct sweep {
	struct s3 *s;
	int64_t cutoff;
	int n;
};

static int
sweep_tail(const char *key, int64_t mtime, void *arg)
{
	struct sweep *sw = arg;

	if (mtime >= 0 && mtime < sw->cutoff &&
	    s3_delete_object(sw->s, key) == 0)
		sw->n++;
	return 0;
}

/* Multipart uploads the database does not know (a node died between
 * creating one and recording it), initiated before the cutoff. Stores
 * without ListMultipartUploads (s3rver) answer 501: nothing to do. */
static int
sweep_uploads(struct sweep *sw)
{
	char key[1024], id[1024], t[64];
	struct s3_resp r = { 0 };
	const char *p, *end;
	struct db_conn *c;
	struct buf body;

	buf_init(&body, XML_MAX);
	r.body = &body;
	if (s3_call(sw->s, "GET", "", "prefix=objects%2F&uploads=", NULL, 0,
	        &r) == -1 ||
	    r.status != 200) {
		buf_release(&body);
		return r.status == 501 || r.status == 405 ? 0 : -1;
	}
	p = buf_str(&body);
	end = p + body.len;
	c = db_get(sw->s->db);
	while (s3_xml_next(&p, end, "Key", key, sizeof(key)) == 0 &&
	    s3_xml_next(&p, end, "UploadId", id, sizeof(id)) == 0 &&
	    s3_xml_next(&p, end, "Initiated", t, sizeof(t)) == 0) {
		int64_t at = iso_time(t);

		if (strncmp(key, "objects/", 8) == 0 && at >= 0 &&
		    at < sw->cutoff && s3db_upload_known(c, id) == 0 &&
		    s3_abort_upload(sw->s, key + 8, id) == 0)
			sw->n++;
	}
	db_put(c);
	buf_release(&body);
	return 0;
}

int
s3_sweep(void *h, int64_t cutoff)
{
	struct sweep sw = { h, cutoff, 0 };

	if (s3_list_objects(sw.s, "staging/", sweep_tail, &sw) == -1 ||
	    sweep_uploads(&sw) == -1)
		return -1;
	return sw.n;
}

/* AbortMultipartUpload; an upload already gone is no error. */
int
s3_abort_upload(struct s3 *s, const char *key, const char *upload_id)
{
	char path[S3_PATH_MAX], q[1100], eid[1024];
	struct s3_resp r = { 0 };

	s3_obj_path(path, key);
	if (s3_query_escape(upload_id, eid, sizeof(eid)) == -1)
		return -1;
	snprintf(q, sizeof(q), "uploadId=%s", eid);
	if (s3_call(s, "DELETE", path, q, NULL, 0, &r) == -1)
		return -1;
	/* A store without AbortMultipartUpload (s3rver answers 405) keeps
	 * the parts; retrying would not change that. */
	if (r.status == 405 || r.status == 501)
		log_warn("the store cannot abort multipart uploads", "{s:s}",
		    "path", path);
	else if (r.status != 204 && r.status != 200 && r.status != 404) {
		s3_fail(&r, "abort multipart upload", path);
		return -1;
	}
	return 0;
}
