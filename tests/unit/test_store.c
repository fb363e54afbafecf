/* The blob store: the fs backend's writer and reader semantics (which the
 * s3 backend shares; tests/api/store.test.mjs runs both), and the pieces
 * of the s3 backend that need no store: XML answers, query escaping. */
#include "unit.h"

#include <stdlib.h>
#include <unistd.h>

#include "store/blob.h"
#include "store/s3_http.h"
#include "store/s3_xml.h"
#include "util/config.h"

TEST(s3_xml_reads_elements_in_order)
{
	const char *doc = "<?xml version=\"1.0\"?><ListBucketResult><Contents>"
	                  "<Key>staging/a/1</Key><ETag>&quot;9b2&quot;</ETag>"
	                  "</Contents><Contents><Key>x&amp;y&#47;z</Key>"
	                  "</Contents></ListBucketResult>";
	const char *p = doc, *end = doc + strlen(doc);
	char out[32];

	REQUIRE(s3_xml_next(&p, end, "Key", out, sizeof(out)) == 0);
	CHECK(strcmp(out, "staging/a/1") == 0);
	REQUIRE(s3_xml_next(&p, end, "ETag", out, sizeof(out)) == 0);
	CHECK(strcmp(out, "\"9b2\"") == 0);
	REQUIRE(s3_xml_next(&p, end, "Key", out, sizeof(out)) == 0);
	CHECK(strcmp(out, "x&y/z") == 0);
	CHECK(s3_xml_next(&p, end, "Key", out, sizeof(out)) == -1);
}

TEST(s3_xml_refuses_what_it_does_not_expect)
{
	const char *bad[] = { "<UploadId>a<b>c</b></UploadId>",
		"<UploadId>a&bogus;</UploadId>", "<UploadId>a&#1;</UploadId>",
		"<UploadId>unterminated", "<Other>x</Other>",
		"<UploadId>0123456789abcdef</UploadId>",
		"<UploadId>a\001b</UploadId>" };
	char out[16];
	size_t i;

	for (i = 0; i < ST_ARRAY_LEN(bad); i++) {
		const char *p = bad[i];

		CHECK(s3_xml_next(&p, p + strlen(p), "UploadId", out,
		          sizeof(out)) == -1);
	}
}

TEST(s3_query_escape_keeps_unreserved_only)
{
	char out[32];

	REQUIRE(s3_query_escape("staging/Ab-_.~ +", out, sizeof(out)) == 0);
	CHECK(strcmp(out, "staging%2FAb-_.~%20%2B") == 0);
	CHECK(s3_query_escape("////////////", out, sizeof(out)) == -1);
}

/* An fs store in a fresh temp folder. */
static struct blob_store *
fs_store(struct config *cfg, char *dir, size_t len)
{
	char err[256];

	snprintf(dir, len, "/tmp/st-unit-store-XXXXXX");
	if (mkdtemp(dir) == NULL ||
	    config_load(cfg, NULL, err, sizeof(err)) == -1)
		return NULL;
	free(cfg->store_path);
	cfg->store_path = xstrdup(dir);
	return blob_open(cfg, NULL);
}

static ssize_t
read_all(struct blob_store *bs, const char *key, char *buf, size_t len)
{
	struct blob_reader *r;
	uint64_t size;
	ssize_t n;

	if ((r = blob_reader_open(bs, key, &size)) == NULL)
		return -1;
	n = blob_reader_read(r, 0, buf, len);
	blob_reader_close(r);
	return n == (ssize_t)size ? n : -1;
}

TEST(fs_writer_drops_unacknowledged_bytes_and_commits_once)
{
	const char *key = "AAAAbbbbCCCCdddd0123";
	struct blob_writer *w;
	struct blob_store *bs;
	struct config cfg;
	char dir[64], buf[64], cmd[128];

	REQUIRE((bs = fs_store(&cfg, dir, sizeof(dir))) != NULL);
	REQUIRE((w = blob_writer_open(bs, key, 0)) != NULL);
	CHECK(blob_writer_write(w, "hello world", 11) == 0);
	CHECK(blob_writer_sync(w) == 0);
	blob_writer_close(w);
	/* Only 5 bytes were acknowledged: the rest goes. */
	REQUIRE((w = blob_writer_open(bs, key, 5)) != NULL);
	CHECK(blob_writer_write(w, "!!", 2) == 0);
	CHECK(blob_writer_commit(w) == 0);
	blob_writer_close(w);
	CHECK(read_all(bs, key, buf, sizeof(buf)) == 7 &&
	    memcmp(buf, "hello!!", 7) == 0);
	/* A retried commit at the end is a no-op; anywhere else is lost. */
	REQUIRE((w = blob_writer_open(bs, key, 7)) != NULL);
	CHECK(blob_writer_commit(w) == 0);
	blob_writer_close(w);
	errno = 0;
	CHECK(blob_writer_open(bs, key, 3) == NULL && errno == EIO);
	CHECK(blob_writer_open(bs, "../etc/passwd0123", 0) == NULL &&
	    errno == EINVAL);
	CHECK(blob_delete(bs, key) == 0);
	errno = 0;
	CHECK(blob_reader_open(bs, key, &(uint64_t){ 0 }) == NULL &&
	    errno == ENOENT);
	blob_close(bs);
	config_release(&cfg);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
}

TEST(fs_reader_hands_over_its_fd)
{
	const char *key = "EEEEffffGGGGhhhh4567";
	struct blob_reader *r;
	struct blob_writer *w;
	struct blob_store *bs;
	struct config cfg;
	char dir[64], cmd[128], c;
	uint64_t size;
	int fd;

	REQUIRE((bs = fs_store(&cfg, dir, sizeof(dir))) != NULL);
	REQUIRE((w = blob_writer_open(bs, key, 0)) != NULL);
	CHECK(
	    blob_writer_write(w, "xyz", 3) == 0 && blob_writer_commit(w) == 0);
	blob_writer_close(w);
	REQUIRE((r = blob_reader_open(bs, key, &size)) != NULL);
	CHECK(size == 3);
	CHECK(blob_reader_read(r, 2, &c, 1) == 1 && c == 'z');
	fd = blob_reader_take_fd(r);
	CHECK(fd >= 0 && blob_reader_take_fd(r) == -1);
	blob_reader_close(r);
	CHECK(pread(fd, &c, 1, 0) == 1 && c == 'x');
	close(fd);
	blob_close(bs);
	config_release(&cfg);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
}
