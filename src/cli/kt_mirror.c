/* A witness's copy of the log's leaves; see kt_mirror.h. */
#include "util/common.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include "cli/http.h"
#include "cli/kt.h"
#include "cli/kt_mirror.h"
#include "util/rand.h"

#define PAGE 1000

/* Address hash -> the last epoch seen: open addressing on the hash's
 * first 8 bytes (it is a SHA-256 already). */
struct addr_map {
	unsigned char (*key)[32];
	uint64_t *epoch; /* 0: empty slot */
	size_t cap, n;
};

static size_t
slot(const struct addr_map *m, const unsigned char key[32])
{
	uint64_t h;
	size_t i;

	memcpy(&h, key, sizeof(h));
	for (i = (size_t)h & (m->cap - 1);
	     m->epoch[i] != 0 && memcmp(m->key[i], key, 32) != 0;
	     i = (i + 1) & (m->cap - 1))
		;
	return i;
}

static void
map_grow(struct addr_map *m)
{
	struct addr_map big = { 0 };
	size_t i, j;

	big.cap = m->cap ? m->cap * 2 : 1024;
	big.key = xcalloc(big.cap, sizeof(*big.key));
	big.epoch = xcalloc(big.cap, sizeof(*big.epoch));
	for (i = 0; i < m->cap; i++)
		if (m->epoch[i] != 0) {
			j = slot(&big, m->key[i]);
			memcpy(big.key[j], m->key[i], 32);
			big.epoch[j] = m->epoch[i];
		}
	big.n = m->n;
	free(m->key);
	free(m->epoch);
	*m = big;
}

/* Records epoch for key: 0 when it follows the last one, -1 if not. */
static int
map_step(struct addr_map *m, const unsigned char key[32], uint64_t epoch)
{
	size_t i;

	if (2 * (m->n + 1) > m->cap)
		map_grow(m);
	i = slot(m, key);
	if (m->epoch[i] == 0) {
		memcpy(m->key[i], key, 32);
		m->n++;
	}
	if (epoch != m->epoch[i] + 1) {
		if (epoch > m->epoch[i])
			m->epoch[i] = epoch;
		return -1;
	}
	m->epoch[i] = epoch;
	return 0;
}

struct sync {
	struct cli *c;
	int fd;
	uint64_t size;
	size_t nfront;
	unsigned char front[TLOG_MAX_NODES][TLOG_HASH_LEN];
	struct addr_map map;
	struct kt_scan *scan;
};

/* One leaf, in order: the tree, the epochs, the wanted address. */
static int
take(struct sync *s, const unsigned char raw[TLOG_LEAF_LEN])
{
	unsigned char lh[TLOG_HASH_LEN], made[TLOG_MAX_NODES][TLOG_HASH_LEN];
	struct tlog_node nd[TLOG_MAX_NODES];
	struct tlog_leaf l;

	if (tlog_leaf_decode(&l, raw, TLOG_LEAF_LEN) == -1)
		return cli_fail(CLI_INTEGRITY,
		    "leaf %" PRIu64 " of the key-transparency log is malformed",
		    s->size);
	tlog_leaf_hash(lh, raw, TLOG_LEAF_LEN);
	if (tlog_append(s->size, s->front, &s->nfront, lh, nd, made) < 1)
		return cli_fail(CLI_INTEGRITY, "the log is too large");
	if (map_step(&s->map, l.addr, l.epoch) == -1 && s->scan->bad_epoch == 0)
		s->scan->bad_epoch = s->size + 1;
	if (s->scan->addr != NULL && memcmp(s->scan->addr, l.addr, 32) == 0)
		s->scan->fn(s->size, &l, s->scan->arg);
	s->size++;
	return CLI_OK;
}

static void
root_now(const struct sync *s, unsigned char out[TLOG_HASH_LEN])
{
	if (s->size == 0)
		tlog_empty_root(out);
	else
		tlog_fold(out, s->front[0], s->nfront);
}

/* The copy on disk, at most want leaves of it (a longer one is cut). */
static int
read_copy(struct sync *s, uint64_t want, const char *path)
{
	unsigned char buf[PAGE * TLOG_LEAF_LEN];
	off_t end = lseek(s->fd, 0, SEEK_END);
	uint64_t have;
	ssize_t n;
	int rc;

	if (end < 0)
		return cli_fail(CLI_LOCAL, "cannot read %s", path);
	have = (uint64_t)end / TLOG_LEAF_LEN;
	if (have > want)
		have = want;
	/* A ragged end (a crash while writing) or more than the head. */
	if (ftruncate(s->fd, (off_t)(have * TLOG_LEAF_LEN)) == -1 ||
	    lseek(s->fd, 0, SEEK_SET) != 0)
		return cli_fail(CLI_LOCAL, "cannot write %s", path);
	while (s->size < have) {
		size_t take_n = have - s->size < PAGE ?
		    (size_t)(have - s->size) :
		    PAGE;
		size_t i;

		n = read(s->fd, buf, take_n * TLOG_LEAF_LEN);
		if (n != (ssize_t)(take_n * TLOG_LEAF_LEN))
			return cli_fail(CLI_LOCAL, "cannot read %s", path);
		for (i = 0; i < take_n; i++)
			if ((rc = take(s, buf + i * TLOG_LEAF_LEN)) != CLI_OK)
				return rc;
	}
	return CLI_OK;
}

/* One page of leaves from the server, appended to the copy. */
static int
fetch_page(struct sync *s, uint64_t upto, const char *path)
{
	unsigned char raw[TLOG_LEAF_LEN];
	char q[96];
	struct http_res r;
	const json_t *arr, *e;
	size_t i;
	int rc = CLI_OK;

	snprintf(q, sizeof(q), "/api/v1/log/leaves?start=%" PRIu64 "&count=%d",
	    s->size, PAGE);
	if (http_get(cli_http(s->c), q, &r) == -1 || r.status != 200)
		return cli_fail_answer(&r, "log leaves");
	arr = json_object_get(r.json, "leaves");
	if ((uint64_t)json_integer_value(json_object_get(r.json, "start")) !=
	        s->size ||
	    !json_is_array(arr) || json_array_size(arr) == 0) {
		http_res_release(&r);
		return cli_fail(CLI_INTEGRITY,
		    "the server hands out no leaf %" PRIu64
		    " though its head has %" PRIu64,
		    s->size, upto);
	}
	json_array_foreach(arr, i, e)
	{
		const char *b = json_string_value(e);

		if (s->size == upto)
			break;
		if (b == NULL ||
		    b64u_decode(raw, sizeof(raw), b, strlen(b)) !=
		        TLOG_LEAF_LEN) {
			rc = cli_fail(CLI_INTEGRITY,
			    "leaf %" PRIu64 " is not 120 bytes", s->size);
			break;
		}
		if ((rc = take(s, raw)) != CLI_OK)
			break;
		if (write(s->fd, raw, sizeof(raw)) != (ssize_t)sizeof(raw)) {
			rc = cli_fail(CLI_LOCAL, "cannot write %s", path);
			break;
		}
		s->scan->fetched++;
	}
	http_res_release(&r);
	return rc;
}

int
kt_mirror_sync(struct cli *c, const char *path,
    const struct tlog_checkpoint *cp, struct kt_scan *scan)
{
	struct sync *s = xcalloc(1, sizeof(*s));
	struct tlog_checkpoint mine;
	uint64_t verified;
	int rc;

	s->c = c;
	s->scan = scan;
	s->fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (s->fd == -1) {
		rc = cli_fail(CLI_LOCAL, "cannot open %s", path);
		goto out;
	}
	if ((rc = read_copy(s, cp->size, path)) != CLI_OK)
		goto out;
	/* What we hold must be the start of what the head signs. */
	if (s->size > 0) {
		mine = *cp;
		mine.size = s->size;
		root_now(s, mine.root);
		if ((rc = cli_kt_consistent(c, &mine, cp)) != CLI_OK)
			goto out;
	}
	verified = s->size;
	while (rc == CLI_OK && s->size < cp->size)
		rc = fetch_page(s, cp->size, path);
	root_now(s, mine.root);
	if (rc == CLI_OK &&
	    sodium_memcmp(mine.root, cp->root, TLOG_HASH_LEN) != 0)
		rc = cli_fail(CLI_INTEGRITY,
		    "the leaves the server hands out are not those of its "
		    "signed head of size %" PRIu64 " (rewritten)",
		    cp->size);
	if (rc != CLI_OK) {
		/* Keep only what was checked before: the next run asks
		 * again rather than building on what did not verify. */
		if (ftruncate(s->fd, (off_t)(verified * TLOG_LEAF_LEN)) == -1)
			rc = cli_fail(CLI_LOCAL, "cannot write %s", path);
		goto out;
	}
	if (fsync(s->fd) == -1)
		rc = cli_fail(CLI_LOCAL, "cannot write %s", path);
	scan->addresses = s->map.n;
out:
	if (s->fd != -1)
		close(s->fd);
	free(s->map.key);
	free(s->map.epoch);
	free(s);
	return rc;
}
