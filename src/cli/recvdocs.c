/*
 * The second half of receive: the manifest (decrypted, canonical, signed
 * by the key the server publishes for the sender), the checks of
 * SECURITY.md §1.5 against what the server shows, safe names, and the
 * downloads.
 */
#include "util/common.h"

#include <fcntl.h>
#include <sodium.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/download.h"
#include "cli/receive.h"
#include "cli/session.h"
#include "cli/trust.h"
#include "client/names.h"
#include "envelope/manifest.h"
#include "envelope/stf1.h"
#include "util/fsutil.h"

#define MAX_PROBLEMS 64

struct problems {
	const char *field[MAX_PROBLEMS];
	char buf[MAX_PROBLEMS][48];
	size_t n;
};

static void
add(struct problems *p, const char *fmt, size_t i)
{
	if (p->n == MAX_PROBLEMS)
		return;
	snprintf(p->buf[p->n], sizeof(p->buf[p->n]), fmt, i);
	p->field[p->n] = p->buf[p->n];
	p->n++;
}

static const char *
str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int
same(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* web/src/receive/worker.js problemsOf(). */
static void
check(const json_t *man, const struct recv_msg *m, struct problems *p)
{
	const json_t *doc = m->doc, *ms = json_object_get(man, "sender");
	const json_t *ds = json_object_get(doc, "sender");
	const json_t *mf = json_object_get(man, "files");
	const json_t *sf = json_object_get(doc, "files");
	const char *de = str(ds, "email"), *me = str(ms, "address");
	size_t i;

	if (!same(str(ms, "sign_pk"), str(ds, "ed25519_pk")))
		add(p, "sender.sign_pk", 0);
	if (de != NULL && (me == NULL || strcasecmp(me, de) != 0))
		add(p, "sender.address", 0);
	if (m->want_rcpt_kid[0] != '\0' &&
	    !same(str(json_object_get(man, "recipient"), "key_id"),
	        m->want_rcpt_kid))
		add(p, "recipient.key_id", 0);
	if (!same(str(man, "subject"), str(doc, "subject")))
		add(p, "subject", 0);
	if (!same(str(man, "reference"), str(doc, "reference")))
		add(p, "reference", 0);
	if (json_array_size(mf) != json_array_size(sf)) {
		add(p, "files.length", 0);
		return;
	}
	for (i = 0; i < json_array_size(mf); i++) {
		const json_t *a = json_array_get(mf, i), *b = NULL, *one;
		const char *hs;
		size_t j;

		json_array_foreach(sf, j, one)
		{
			if (json_integer_value(json_object_get(one, "index")) ==
			    (json_int_t)i)
				b = one;
		}
		if (b == NULL) {
			add(p, "files[%zu]", i);
			continue;
		}
		if (!same(str(a, "name"), str(b, "name")))
			add(p, "files[%zu].name", i);
		if (json_integer_value(json_object_get(a, "size")) !=
		    json_integer_value(json_object_get(b, "size")))
			add(p, "files[%zu].size", i);
		hs = str(b, "header_sha256");
		if (hs != NULL && !same(hs, str(a, "header_sha256")))
			add(p, "files[%zu].header_sha256", i);
	}
}

static int
open_manifest(const struct recv_msg *m, json_t **man)
{
	const char *s = str(m->doc, "manifest");
	unsigned char *sealed;
	long n;
	enum stf1_err e;

	*man = NULL;
	if (s == NULL)
		return cli_fail(CLI_REFUSED, "the server sent no manifest");
	sealed = xmalloc(strlen(s) + 1);
	n = b64u_decode(sealed, strlen(s), s, strlen(s));
	e = n < 0 ? STF1_ERR_MANIFEST_AUTH :
	            manifest_open(man, sealed, (size_t)n, m->k, m->id);
	free(sealed);
	if (e != STF1_OK)
		return cli_fail(CLI_INTEGRITY,
		    "the manifest does not verify (%s)", stf1_err_name(e));
	return CLI_OK;
}

/* Names for the documents, and the folder to put them in. */
static int
prepare(const struct recv_opts *o, const json_t *files,
    char (*names)[NAMES_MAX + 1], int *dirfd)
{
	struct stat sb;
	size_t i, n = json_array_size(files);

	for (i = 0; i < n; i++) {
		const char *raw = str(json_array_get(files, i), "name");

		names_safe(raw, strlen(raw), names[i]);
	}
	names_unique(names, n);
	if (mkdir_p(o->out, 0700) != 0)
		return cli_fail(
		    CLI_LOCAL, "cannot make %s: %s", o->out, strerror(errno));
	*dirfd = open(o->out, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*dirfd == -1)
		return cli_fail(
		    CLI_LOCAL, "cannot open %s: %s", o->out, strerror(errno));
	for (i = 0; i < n && !o->force; i++)
		if (fstatat(*dirfd, names[i], &sb, AT_SYMLINK_NOFOLLOW) == 0)
			return cli_fail(CLI_LOCAL,
			    "%s/%s exists; --force replaces it", o->out,
			    names[i]);
	return CLI_OK;
}

static void
print_result(struct cli *c, const struct recv_opts *o, const json_t *man,
    char (*names)[NAMES_MAX + 1])
{
	const json_t *files = json_object_get(man, "files"), *f;
	json_t *out;
	size_t i;

	if (c->json) {
		out = json_array();
		json_array_foreach(files, i, f)
		{
			char path[4400];

			snprintf(path, sizeof(path), "%s/%s", o->out, names[i]);
			json_array_append_new(out,
			    json_pack("{s:s,s:s,s:s,s:O,s:O}", "name", names[i],
			        "path", path, "manifest_name", str(f, "name"),
			        "size", json_object_get(f, "size"), "mime",
			        json_object_get(f, "mime")));
		}
		cli_print_json(json_pack("{s:s,s:O,s:O,s:O,s:O,s:O,s:o}", "id",
		    str(man, "msg_id"), "sender",
		    json_object_get(man, "sender"), "subject",
		    json_object_get(man, "subject"), "reference",
		    json_object_get(man, "reference"), "text",
		    json_object_get(man, "text"), "created_at",
		    json_object_get(man, "created_at"), "files", out));
		return;
	}
	printf(
	    "From:      %s\n", str(json_object_get(man, "sender"), "address"));
	printf("Subject:   %s\n", str(man, "subject"));
	printf("Reference: %s\n", str(man, "reference"));
	if (str(man, "text")[0] != '\0')
		printf("Text:\n%s\n", str(man, "text"));
	json_array_foreach(files, i, f)
	{
		printf("Saved:     %s/%s (%" JSON_INTEGER_FORMAT " bytes)\n",
		    o->out, names[i],
		    json_integer_value(json_object_get(f, "size")));
	}
}

/*
 * The sender's key through the key gate (cli/trust.h: its entry in the
 * key-transparency log, then the pins) before anything is opened: check()
 * then requires that the manifest is signed by exactly that key. Outside
 * senders sign with a key of their own message (the server vouches for
 * their address only); one's own messages pass (checked at login).
 */
static int
trust_sender(struct cli *c, const struct recv_msg *m)
{
	const json_t *snd = json_object_get(m->doc, "sender");
	const char *kind = str(snd, "kind"), *me = session_user(c, "id");

	if (kind == NULL || strcmp(kind, "account") != 0 ||
	    (me != NULL && same(str(snd, "user_id"), me)))
		return CLI_OK;
	return trust_served(c, snd, PINS_RECEIVE, str(snd, "name"));
}

int
recv_documents(
    struct cli *c, const struct recv_opts *o, const struct recv_msg *m)
{
	char(*names)[NAMES_MAX + 1] = NULL;
	const json_t *files, *sf;
	json_t *man = NULL;
	struct problems p = { 0 };
	struct progress prog;
	size_t i, n;
	int rc, dirfd = -1;

	if ((rc = trust_sender(c, m)) != CLI_OK ||
	    (rc = open_manifest(m, &man)) != CLI_OK)
		return rc;
	check(man, m, &p);
	if (p.n > 0) {
		for (i = 0; i < p.n; i++)
			fprintf(stderr, "  differs: %s\n", p.field[i]);
		rc = cli_fail(CLI_INTEGRITY,
		    "what the server shows differs from what the sender "
		    "signed: nothing downloaded");
		goto out;
	}
	files = json_object_get(man, "files");
	n = json_array_size(files);
	names = xcalloc(n ? n : 1, sizeof(*names));
	if ((rc = prepare(o, files, names, &dirfd)) != CLI_OK)
		goto out;
	progress_init(&prog, !c->quiet && !c->json, c->tty, "receiving", 0);
	sf = json_object_get(m->doc, "files");
	for (i = 0; i < n && rc == CLI_OK; i++) {
		const json_t *f = json_array_get(files, i), *one, *srv = NULL;
		struct download d = { 0 };
		char path[160];
		const char *hs = str(f, "header_sha256"), *fid;
		size_t j;

		json_array_foreach(sf, j, one)
		{
			if (json_integer_value(json_object_get(one, "index")) ==
			    (json_int_t)i)
				srv = one;
		}
		fid = str(srv, "id");
		if (fid == NULL || !rand_id_valid(fid)) {
			rc = cli_fail(
			    CLI_REFUSED, "the server lists no file %zu", i);
			break;
		}
		snprintf(path, sizeof(path), "%s%s", m->files_path, fid);
		d.url_path = path;
		d.k = m->k;
		memcpy(d.msg_id, m->id, 16);
		d.index = (uint32_t)i;
		d.size = (uint64_t)json_integer_value(
		    json_object_get(f, "size"));
		(void)b64u_decode(d.header_sha256, 32, hs, strlen(hs));
		d.dirfd = dirfd;
		d.name = names[i];
		d.force = o->force;
		d.prog = &prog;
		(void)stf1_ciphertext_size(
		    d.size, STF1_LOG2_DEFAULT, &prog.total);
		prog.done = 0;
		prog.base = 0;
		progress_label(&prog, names[i]);
		rc = download_file(c, &d);
		if (rc == CLI_OK)
			progress_end(&prog);
	}
	if (rc == CLI_OK)
		print_result(c, o, man, names);
out:
	if (dirfd != -1)
		close(dirfd);
	free(names);
	json_decref(man);
	return rc;
}
