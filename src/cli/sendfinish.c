/* Finishing a send; see sendfinish.h. */
#include "util/common.h"

#include <openssl/evp.h>
#include <sodium.h>
#include <strings.h>
#include <time.h>

#include "cli/http.h"
#include "cli/sendfinish.h"
#include "cli/session.h"
#include "cli/trust.h"
#include "envelope/kdf.h"
#include "envelope/keyid.h"
#include "envelope/manifest.h"
#include "envelope/stanza.h"

static const struct {
	const char *ext, *mime;
} mimes[] = {
	{ "eps", "application/postscript" },
	{ "gif", "image/gif" },
	{ "jpeg", "image/jpeg" },
	{ "jpg", "image/jpeg" },
	{ "png", "image/png" },
	{ "doc", "application/msword" },
	{ "docx",
	    "application/"
	    "vnd.openxmlformats-officedocument.wordprocessingml."
	    "document" },
	{ "odt", "application/vnd.oasis.opendocument.text" },
	{ "xls", "application/vnd.ms-excel" },
	{ "xlsx",
	    "application/"
	    "vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
	{ "ods", "application/vnd.oasis.opendocument.spreadsheet" },
	{ "pps", "application/vnd.ms-powerpoint" },
	{ "ppsx",
	    "application/"
	    "vnd.openxmlformats-officedocument.presentationml."
	    "slideshow" },
	{ "ppt", "application/vnd.ms-powerpoint" },
	{ "pptx",
	    "application/"
	    "vnd.openxmlformats-officedocument.presentationml."
	    "presentation" },
	{ "odp", "application/vnd.oasis.opendocument.presentation" },
	{ "zip", "application/zip" },
	{ "rar", "application/vnd.rar" },
	{ "7z", "application/x-7z-compressed" },
	{ "gz", "application/gzip" },
	{ "tgz", "application/gzip" },
	{ "gzip", "application/gzip" },
	{ "lzma", "application/x-lzma" },
	{ "cab", "application/vnd.ms-cab-compressed" },
	{ "bzip2", "application/x-bzip2" },
	{ "bz2", "application/x-bzip2" },
	{ "z", "application/x-compress" },
	{ "pdf", "application/pdf" },
	{ "txt", "text/plain" },
};

const char *
send_mime(const char *name)
{
	const char *dot = strrchr(name, '.');
	size_t i;

	if (dot == NULL || dot == name)
		return "application/octet-stream";
	for (i = 0; i < ST_ARRAY_LEN(mimes); i++)
		if (strcasecmp(dot + 1, mimes[i].ext) == 0)
			return mimes[i].mime;
	return "application/octet-stream";
}

static int
b64_of(const json_t *o, const char *key, unsigned char *out, size_t n)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL && b64u_decode(out, n, s, strlen(s)) == (long)n ? 0 :
	                                                                   -1;
}

/*
 * The recipient's page the server names for a strict message: an http(s)
 * URL ending in /r/<id>, no query, fragment, space or control character,
 * so that the link printed with S is exactly that page and S.
 */
static int
link_url_ok(const char *u, const char *id)
{
	size_t n = u ? strlen(u) : 0, i;
	char tail[RAND_ID_LEN + 4];

	if (n < 12 || n > 400 || id == NULL ||
	    (strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0))
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)u[i] <= 0x20 || u[i] == 0x7f ||
		    u[i] == '#' || u[i] == '?')
			return 0;
	if (snprintf(tail, sizeof(tail), "/r/%s", id) >= (int)sizeof(tail))
		return 0;
	return n > strlen(tail) && strcmp(u + n - strlen(tail), tail) == 0;
}

int
send_rcpt_read(struct cli *c, struct send_rcpt *r, const json_t *answer)
{
	const json_t *rc = json_object_get(answer, "recipient");
	int code;
	const char *kind = json_string_value(json_object_get(rc, "kind"));
	const char *email = json_string_value(json_object_get(rc, "email"));
	const char *kid = json_string_value(json_object_get(rc, "key_id"));
	const char *dl;
	unsigned char want[16];

	memset(r, 0, sizeof(*r));
	if (kind == NULL || email == NULL)
		return cli_fail(CLI_REFUSED, "the server named no recipient");
	/* The key gate (cli/trust.h: the log, then the pins) before anything
	 * is wrapped to it. */
	if ((code = trust_served(c, rc, PINS_SEND,
	         json_string_value(json_object_get(rc, "name")))) != CLI_OK)
		return code;
	r->email = xstrdup(email);
	if (strcmp(kind, "link") == 0) {
		r->link = 1;
		if (b64_of(answer, "r_srv", r->r_srv, 32) != 0)
			return cli_fail(
			    CLI_REFUSED, "the server sent no R_srv");
		dl = json_string_value(json_object_get(answer, "delivery"));
		r->strict = dl != NULL && strcmp(dl, "strict") == 0;
		if (r->strict) {
			const char *u = json_string_value(
			    json_object_get(answer, "link_url"));

			if (!link_url_ok(u,
			        json_string_value(
			            json_object_get(answer, "id"))))
				return cli_fail(CLI_REFUSED,
				    "the server named no usable link "
				    "address");
			r->link_url = xstrdup(u);
		}
		return CLI_OK;
	}
	if (kid == NULL || !rand_id_valid(kid) ||
	    b64_of(rc, "x25519_pk", r->x_pk, 32) != 0 ||
	    keyid_compute(want, r->x_pk) != 0)
		return cli_fail(
		    CLI_REFUSED, "the server sent no recipient key");
	b64u_encode(r->key_id, sizeof(r->key_id), want, 16);
	/* The server hands out the key: it must match the id it names. */
	if (strcmp(r->key_id, kid) != 0)
		return cli_fail(CLI_INTEGRITY,
		    "the recipient's key does not match its key id "
		    "(recipient_key_mismatch)");
	return CLI_OK;
}

void
send_rcpt_release(struct send_rcpt *r)
{
	free(r->email);
	free(r->link_url);
	sodium_memzero(r, sizeof(*r));
}

static void
put_b64(json_t *o, const char *key, const unsigned char *p, size_t n)
{
	size_t len = b64u_len(n) + 1;
	char *s = xmalloc(len);

	b64u_encode(s, len, p, n);
	json_object_set_new(o, key, json_string(s));
	free_secret(s, len);
}

static json_t *
manifest_json(struct cli *c, const struct send_state *st,
    const struct send_rcpt *r, const char *text)
{
	char now[32], pk[64];
	json_t *files = json_array();
	struct tm tm;
	time_t t = time(NULL);
	size_t i;

	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	b64u_encode(pk, sizeof(pk), c->keys.ed_pk, 32);
	for (i = 0; i < st->nfiles; i++) {
		const struct send_file *f = &st->files[i];

		json_array_append_new(files,
		    json_pack("{s:I,s:s,s:I,s:s,s:s}", "index", (json_int_t)i,
		        "name", f->name, "size", (json_int_t)f->size, "mime",
		        send_mime(f->name), "header_sha256", f->header_sha256));
	}
	return json_pack("{s:i,s:s,s:s,s:{s:s,s:s,s:s,s:s},s:{s:s,s:s},"
	                 "s:s,s:s,s:s,s:o}",
	    "v", 1, "msg_id", st->msg_id, "created_at", now, "sender", "kind",
	    "account", "user_id", c->keys.user_id, "address",
	    session_user(c, "email"), "sign_pk", pk, "recipient", "address",
	    r->email, "key_id", r->link ? "link" : r->key_id, "subject",
	    st->subject, "reference", st->reference, "text", text, "files",
	    files);
}

/* The link with S for strict delivery: link_url "#" b64u(S); owned. */
static char *
strict_link(const char *link_url, const unsigned char s[32])
{
	size_t n = strlen(link_url) + 1 + b64u_len(32) + 1;
	char *l = xmalloc(n);
	int w = snprintf(l, n, "%s#", link_url);

	b64u_encode(l + w, n - (size_t)w, s, 32);
	return l;
}

/* The stanza part of the send body; *link as in send_finish. An exit
 * code. */
static int
gate(json_t *body, const unsigned char k[32], const unsigned char id[16],
    const struct send_rcpt *r, char **link)
{
	unsigned char st[STANZA_X25519_LEN], s[32], auth[32], hash[32];
	unsigned char sealed[STANZA_LINK_SECRET_LEN];
	int rc = CLI_OK;

	*link = NULL;
	if (!r->link) {
		if (stanza_x25519_wrap(st, k, id, r->x_pk) != STF1_OK)
			return cli_fail(
			    CLI_INTEGRITY, "the recipient's key is unusable");
		put_b64(body, "recipient_stanza", st, STANZA_X25519_LEN);
		return CLI_OK;
	}
	randombytes_buf(s, sizeof(s));
	if (kdf_link_auth(auth, s, id) != 0 ||
	    EVP_Digest(auth, 32, hash, NULL, EVP_sha256(), NULL) != 1 ||
	    stanza_link_wrap(st, k, id, s, r->r_srv) != STF1_OK)
		rc = cli_fail(CLI_LOCAL, "libcrypto failed");
	else {
		put_b64(body, "link_auth_hash", hash, 32);
		put_b64(body, "link_stanza", st, STANZA_LINK_LEN);
		if (!r->strict) {
			/* S goes to the server only to write the link mail. */
			put_b64(body, "link_secret", s, 32);
		} else if (stanza_link_secret_seal(sealed, s, k, id) != STF1_OK)
			rc = cli_fail(CLI_LOCAL, "libcrypto failed");
		else {
			/* Strict: the server gets only the copy sealed
			 * under a key from K; the sender delivers S. */
			put_b64(
			    body, "link_secret_sealed", sealed, sizeof(sealed));
			*link = strict_link(r->link_url, s);
		}
	}
	sodium_memzero(s, sizeof(s));
	sodium_memzero(auth, sizeof(auth));
	return rc;
}

int
send_finish(struct cli *c, const struct send_state *st,
    const unsigned char k[32], const unsigned char msg_id[16],
    const struct send_rcpt *r, const char *text, char **link)
{
	unsigned char self[STANZA_X25519_LEN], *sealed = NULL;
	size_t slen = 0;
	json_t *m, *body = json_object();
	struct http_req rq = { .method = "POST" };
	struct http_res res;
	char *l = NULL;
	enum stf1_err e;
	char path[80], msg[300];
	int rc, retried;

	*link = NULL;
	m = manifest_json(c, st, r, text);
	if (m == NULL) {
		json_decref(body);
		return cli_fail(CLI_LOCAL, "cannot build the manifest");
	}
	if ((e = manifest_sign(m, c->keys.ed_seed)) != STF1_OK ||
	    (e = manifest_seal(&sealed, &slen, m, k, msg_id, NULL)) !=
	        STF1_OK) {
		json_decref(m);
		json_decref(body);
		return cli_fail(CLI_USAGE, "cannot make the manifest (%s)",
		    stf1_err_name(e));
	}
	json_decref(m);
	put_b64(body, "manifest", sealed, slen);
	free(sealed);
	if (stanza_x25519_wrap(self, k, msg_id, c->keys.x_pk) != STF1_OK ||
	    (rc = gate(body, k, msg_id, r, &l)) != CLI_OK) {
		json_decref(body);
		return cli_fail(CLI_LOCAL, "cannot wrap the message key");
	}
	put_b64(body, "self_stanza", self, sizeof(self));
	snprintf(path, sizeof(path), "/api/v1/messages/%s/send", st->msg_id);
	rq.path = path;
	rq.json = body;
	http_do_retry(cli_http(c), &rq, &res, &retried);
	json_decref(body);
	rc = res.status == 200 ? CLI_OK : http_exit_code(&res);
	/* A repeat after the first attempt's answer was lost (a restart):
	 * that attempt sent it. */
	if (retried && res.status == 403 &&
	    strcmp(res.code, "already_sent") == 0)
		rc = CLI_OK;
	if (rc != CLI_OK)
		cli_fail(rc, "send: %s", http_describe(&res, msg, sizeof(msg)));
	http_res_release(&res);
	if (rc == CLI_OK)
		*link = l;
	else if (l != NULL)
		free_secret(l, strlen(l));
	return rc;
}
