/* The key-transparency log in the CLI; see kt.h. */
#include "util/common.h"

#include <curl/curl.h>
#include <sodium.h>

#include "cli/http.h"
#include "cli/kt.h"
#include "client/ktproof.h"
#include "util/fsutil.h"
#include "util/rand.h"

int
cli_kt_verifier(struct cli *c, struct tlog_verifier *v)
{
	if (c->log_key == NULL || c->log_key[0] == '\0')
		return cli_fail(CLI_USAGE,
		    "no key-transparency log key: set key in the [log] "
		    "section of config.ini or SECURETRANSFER_LOG_KEY to the "
		    "server's log.pub line (ask your administrator; "
		    "docs/transparency.md)");
	if (tlog_verifier_parse(v, c->log_key, strlen(c->log_key)) == -1)
		return cli_fail(CLI_USAGE,
		    "the key-transparency log key is not a verifier key "
		    "(name+hash+key)");
	return CLI_OK;
}

char *
cli_kt_head_path(const struct cli *c, const struct tlog_verifier *v)
{
	size_t n = strlen(c->dir) + 32;
	char *p = xmalloc(n);

	snprintf(p, n, "%s/log-%08" PRIx32 ".head", c->dir, v->hash);
	return p;
}

/* The note stored in path into buf: its length, 0 if there is none, -1. */
static long
read_note(const char *path, char *buf, size_t max)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (f == NULL)
		return errno == ENOENT ? 0 : -1;
	n = fread(buf, 1, max, f);
	fclose(f);
	return n == max ? -1 : (long)n;
}

int
cli_kt_consistent(struct cli *c, const struct tlog_checkpoint *a,
    const struct tlog_checkpoint *b)
{
	unsigned char proof[TLOG_MAX_PROOF][TLOG_HASH_LEN];
	char path[96];
	struct http_res r;
	int n;

	snprintf(path, sizeof(path),
	    "/api/v1/log/consistency?from=%" PRIu64 "&to=%" PRIu64, a->size,
	    b->size);
	if (http_get(cli_http(c), path, &r) == -1 || r.status == 0 ||
	    r.status >= 500)
		return cli_fail_answer(&r, "consistency proof");
	if (r.status != 200) {
		/* It signed a head of this size and no longer has it. */
		http_res_release(&r);
		return cli_fail(CLI_INTEGRITY,
		    "the key-transparency log no longer has the head of size "
		    "%" PRIu64 " it signed before: it was cut back "
		    "(inconsistent)",
		    b->size);
	}
	n = ktproof_hashes(json_object_get(r.json, "proof"), proof);
	http_res_release(&r);
	if (n < 0 ||
	    tlog_verify_consistency(
	        a->size, b->size, a->root, b->root, proof[0], (size_t)n) == -1)
		return cli_fail(CLI_INTEGRITY,
		    "the key-transparency log's head of size %" PRIu64
		    " does not extend the head of size %" PRIu64
		    " seen before: the log was rewritten (inconsistent)",
		    b->size, a->size);
	return CLI_OK;
}

int
cli_kt_observe(struct cli *c, const struct tlog_verifier *v,
    const struct tlog_checkpoint *cp, const char *note, size_t len,
    const char *path)
{
	char old[TLOG_NOTE_MAX + 1];
	struct tlog_checkpoint have;
	long n = read_note(path, old, sizeof(old));
	int rc;

	if (n < 0)
		return cli_fail(CLI_LOCAL, "cannot read %s", path);
	if (n > 0 &&
	    tlog_checkpoint_open(v, old, (size_t)n, &have) != TLOG_NOTE_OK)
		return cli_fail(CLI_LOCAL,
		    "%s is not a head of this log: remove it to start again",
		    path);
	if (n > 0 && have.size == cp->size) {
		if (sodium_memcmp(have.root, cp->root, TLOG_HASH_LEN) != 0)
			return cli_fail(CLI_INTEGRITY,
			    "the key-transparency log shows two different "
			    "heads of size %" PRIu64 " (split view)",
			    cp->size);
		return CLI_OK;
	}
	if (n > 0 &&
	    (rc = have.size < cp->size ?
	            cli_kt_consistent(c, &have, cp) :
	            cli_kt_consistent(c, cp, &have)) != CLI_OK)
		return rc;
	if ((n == 0 || cp->size > have.size) &&
	    fs_write_private(path, note, len) != 0)
		return cli_fail(CLI_LOCAL, "cannot write %s", path);
	return CLI_OK;
}

static const char *
str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The checks of one log member for email's keys (and key id, if not
 * NULL); *out filled on CLI_OK. */
static int
check_entry(struct cli *c, const json_t *log, const char *email,
    const char *x25519_pk, const char *ed25519_pk, const char *key_id,
    const char *who, struct ktproof *out)
{
	struct tlog_verifier v;
	enum ktproof_status st;
	char *path;
	int rc;

	if ((rc = cli_kt_verifier(c, &v)) != CLI_OK)
		return rc;
	st = ktproof_parse(log, out);
	if (st == KTPROOF_OK)
		st = ktproof_match(out, email, x25519_pk, ed25519_pk);
	if (st == KTPROOF_OK && key_id != NULL)
		st = ktproof_match_key_id(out, key_id);
	if (st == KTPROOF_OK)
		st = ktproof_check(&v, out);
	if (st != KTPROOF_OK)
		return cli_fail(CLI_INTEGRITY,
		    "the key of %s is not in the server's key-transparency "
		    "log as served (%s): it is not used",
		    who, ktproof_status_name(st));
	path = cli_kt_head_path(c, &v);
	rc = cli_kt_observe(c, &v, &out->cp, out->note, out->note_len, path);
	free(path);
	return rc;
}

int
cli_kt_served(struct cli *c, const json_t *served, const char *who)
{
	const char *email = str(served, "email");
	struct ktproof *p = xcalloc(1, sizeof(*p));
	int rc;

	rc = check_entry(c, json_object_get(served, "log"), email,
	    str(served, "x25519_pk"), str(served, "ed25519_pk"),
	    str(served, "key_id"),
	    who != NULL       ? who :
	        email != NULL ? email :
	                        "the recipient",
	    p);
	free(p);
	return rc;
}

/* Every entry of the history is of email and in the log; the newest
 * index in *newest. */
static int
history(struct cli *c, const char *email, uint64_t *newest)
{
	struct tlog_verifier v;
	struct tlog_checkpoint cp;
	struct http_res r;
	unsigned char addr[32];
	struct ktproof *p = xcalloc(1, sizeof(*p));
	const json_t *e;
	char *q, *path = NULL;
	const char *note;
	size_t i;
	int rc = CLI_INTEGRITY;

	*newest = 0;
	if (cli_kt_verifier(c, &v) != CLI_OK) {
		free(p);
		return CLI_USAGE;
	}
	q = curl_easy_escape(NULL, email, 0);
	path = xmalloc(strlen(q) + 40);
	snprintf(path, strlen(q) + 40, "/api/v1/log/history?email=%s", q);
	curl_free(q);
	if (http_get(cli_http(c), path, &r) == -1 || r.status != 200) {
		free(path);
		free(p);
		return cli_fail_answer(&r, "key-transparency history");
	}
	note = str(r.json, "checkpoint");
	tlog_address_hash(addr, email);
	if (note == NULL ||
	    tlog_checkpoint_open(&v, note, strlen(note), &cp) != TLOG_NOTE_OK)
		goto out;
	json_array_foreach(json_object_get(r.json, "entries"), i, e)
	{
		json_t *one = json_deep_copy(e);

		json_object_set_new(one, "checkpoint", json_string(note));
		/* Any key: this is about the address's entries. */
		if (ktproof_parse(one, p) != KTPROOF_OK ||
		    sodium_memcmp(p->leaf.addr, addr, 32) != 0 ||
		    ktproof_check(&v, p) != KTPROOF_OK) {
			json_decref(one);
			goto out;
		}
		json_decref(one);
		if (p->index > *newest)
			*newest = p->index;
	}
	free(path);
	path = cli_kt_head_path(c, &v);
	rc = cli_kt_observe(c, &v, &cp, note, strlen(note), path);
out:
	if (rc == CLI_INTEGRITY)
		cli_fail(rc,
		    "the key-transparency history of %s does not "
		    "verify",
		    email);
	free(path);
	free(p);
	http_res_release(&r);
	return rc;
}

int
cli_kt_self(struct cli *c, const char *email, const json_t *keys_log)
{
	char x[64], ed[64];
	struct ktproof *p = xcalloc(1, sizeof(*p));
	uint64_t newest, mine;
	int rc;

	b64u_encode(x, sizeof(x), c->keys.x_pk, 32);
	b64u_encode(ed, sizeof(ed), c->keys.ed_pk, 32);
	rc = check_entry(c, keys_log, email, x, ed, NULL, "this account", p);
	mine = p->index;
	free(p);
	if (rc == CLI_INTEGRITY)
		return cli_fail(rc,
		    "the server's key-transparency log does not show this "
		    "account's keys for %s: someone may have published "
		    "other keys for you. Tell your security officer.",
		    email);
	if (rc != CLI_OK || (rc = history(c, email, &newest)) != CLI_OK)
		return rc;
	if (newest > mine)
		return cli_fail(CLI_INTEGRITY,
		    "the key-transparency log has a newer entry (%" PRIu64
		    ") for %s than this account's keys (%" PRIu64
		    "): someone published other keys for you. Tell your "
		    "security officer.",
		    newest, email, mine);
	return CLI_OK;
}
