/* SQL for the S3 store's multipart uploads; see s3_db.h. */
#include "util/common.h"

#include "db/s3_db.h"

int
s3db_upload_get(
    struct db_conn *c, const char *key, char **upload_id, int64_t *part_size)
{
	struct db_stmt *s;
	int found;

	s = db_query(c,
	    "SELECT upload_id, part_size FROM s3_uploads WHERE "
	    "object_key = $1",
	    DB_PARAMS(DB_TEXT(key)));
	if ((found = db_first(s)) != 1)
		return found;
	*upload_id = db_dup_text0(s, 0);
	*part_size = db_int(s, 1);
	db_done(s);
	return 1;
}

enum db_status
s3db_upload_put(struct db_conn *c, const char *key, const char *upload_id,
    int64_t part_size, int64_t now)
{
	return db_exec(c,
	    "INSERT INTO s3_uploads (object_key, upload_id, part_size, "
	    "created_at) VALUES ($1, $2, $3, $4)",
	    DB_PARAMS(DB_TEXT(key), DB_TEXT(upload_id), DB_INT(part_size),
	        DB_INT(now)));
}

int
s3db_upload_known(struct db_conn *c, const char *upload_id)
{
	struct db_stmt *s;
	enum db_status r;

	s = db_query(c, "SELECT 1 FROM s3_uploads WHERE upload_id = $1",
	    DB_PARAMS(DB_TEXT(upload_id)));
	if (s == NULL)
		return -1;
	r = db_next(s);
	db_done(s);
	return r == DB_ROW ? 1 : r == DB_DONE ? 0 : -1;
}

int64_t
s3db_parts_count(struct db_conn *c, const char *key, int64_t upto)
{
	return db_int_of(c,
	    "SELECT COUNT(*) FROM s3_parts WHERE object_key = $1 AND "
	    "part_no <= $2",
	    DB_PARAMS(DB_TEXT(key), DB_INT(upto)));
}

enum db_status
s3db_part_put(struct db_conn *c, const char *key, int64_t no, const char *etag)
{
	return db_exec(c,
	    "INSERT INTO s3_parts (object_key, part_no, etag) VALUES ($1, "
	    "$2, $3) ON CONFLICT (object_key, part_no) DO UPDATE SET etag "
	    "= excluded.etag",
	    DB_PARAMS(DB_TEXT(key), DB_INT(no), DB_TEXT(etag)));
}

enum db_status
s3db_parts_trim(struct db_conn *c, const char *key, int64_t keep)
{
	return db_exec(c,
	    "DELETE FROM s3_parts WHERE object_key = $1 AND part_no > $2",
	    DB_PARAMS(DB_TEXT(key), DB_INT(keep)));
}

int
s3db_parts_each(struct db_conn *c, const char *key,
    int (*fn)(int64_t no, const char *etag, void *arg), void *arg)
{
	struct db_stmt *s;
	enum db_status r = DB_ERROR;
	int rc = 0;

	s = db_query(c,
	    "SELECT part_no, etag FROM s3_parts WHERE object_key = $1 "
	    "ORDER BY part_no",
	    DB_PARAMS(DB_TEXT(key)));
	if (s == NULL)
		return -1;
	while (rc == 0 && (r = db_next(s)) == DB_ROW)
		rc = fn(db_int(s, 0), db_text(s, 1), arg);
	db_done(s);
	return rc == 0 && r == DB_DONE ? 0 : -1;
}

enum db_status
s3db_forget(struct db_conn *c, const char *key)
{
	enum db_status r;

	r = db_exec(c, "DELETE FROM s3_parts WHERE object_key = $1",
	    DB_PARAMS(DB_TEXT(key)));
	if (r == DB_OK)
		r = db_exec(c, "DELETE FROM s3_uploads WHERE object_key = $1",
		    DB_PARAMS(DB_TEXT(key)));
	return r;
}
