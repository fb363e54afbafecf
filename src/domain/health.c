/* Readiness checks; see health.h. */
#include "util/common.h"

#include <fcntl.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain/health.h"
#include "store/blob.h"
#include "util/clock.h"
#include "util/rand.h"

#define PROBE_LEN 64

static atomic_llong last_ok; /* clock_now() of the last good probe */

/* Reads the committed probe back; 0 when it is what was written. */
static int
read_back(struct blob_store *bs, const char *key, const unsigned char *want,
    const char **step)
{
	unsigned char got[PROBE_LEN];
	struct blob_reader *r;
	uint64_t size = 0;
	size_t have = 0;
	ssize_t n;

	if ((r = blob_reader_open(bs, key, &size)) == NULL) {
		*step = "read";
		return -1;
	}
	while (have < sizeof(got) &&
	    (n = blob_reader_read(r, have, got + have, sizeof(got) - have)) > 0)
		have += (size_t)n;
	blob_reader_close(r);
	if (size != PROBE_LEN || have != PROBE_LEN ||
	    memcmp(got, want, PROBE_LEN) != 0) {
		*step = "compare";
		return -1;
	}
	return 0;
}

int
health_store_probe(struct blob_store *bs, const char **step)
{
	unsigned char data[PROBE_LEN];
	char key[RAND_ID_LEN + 1];
	struct blob_writer *w;
	int64_t now = clock_now();
	int rc = -1;

	*step = "";
	if (now - atomic_load(&last_ok) < HEALTH_PROBE_CACHE)
		return 0;
	rand_id(key);
	rand_bytes(data, sizeof(data));
	*step = "write";
	if ((w = blob_writer_open(bs, key, 0)) == NULL)
		goto out;
	if (blob_writer_write(w, data, sizeof(data)) == -1 ||
	    blob_writer_commit(w) == -1) {
		blob_writer_close(w);
		goto out;
	}
	blob_writer_close(w);
	if (read_back(bs, key, data, step) == -1)
		goto out;
	rc = 0;
out:
	/* Always: a half-written probe must not stay behind. */
	if (blob_delete(bs, key) == -1 && rc == 0) {
		*step = "delete";
		rc = -1;
	}
	if (rc == 0)
		atomic_store(&last_ok, now);
	return rc;
}

int
health_file(const char *dir, const char *name)
{
	char path[4096];
	struct stat st;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (stat(path, &st) == -1)
		return -1;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		return -1;
	}
	return access(path, R_OK);
}
