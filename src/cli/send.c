/*
 * The send pipeline that send and send --resume share (send.h): the
 * accompanying text, the resume record's place, the message's creation,
 * its key and stanzas, the uploads and the final send.
 */
#include "util/common.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <sodium.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/http.h"
#include "cli/send.h"
#include "cli/sendfinish.h"
#include "cli/sendstate.h"
#include "cli/tus.h"
#include "client/nfc.h"
#include "envelope/stanza.h"

#define TEXT_MAX_BYTES (64u * 1024u)
#define TEXT_MAX_CHARS 10000u

char *
send_nfc_or_empty(const char *s)
{
	return s == NULL ? xstrdup("") : nfc_dup(s, strlen(s), NULL);
}

int
send_read_text(const char *path, char **out)
{
	char buf[TEXT_MAX_BYTES + 1];
	size_t n = 0, chars = 0, i;
	FILE *f;

	*out = NULL;
	if (path == NULL) {
		*out = xstrdup("");
		return CLI_OK;
	}
	if ((f = fopen(path, "rb")) == NULL)
		return cli_fail(
		    CLI_LOCAL, "cannot read %s: %s", path, strerror(errno));
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (n > TEXT_MAX_BYTES)
		return cli_fail(CLI_USAGE, "%s: the text is too long", path);
	if ((*out = nfc_dup(buf, n, &n)) == NULL)
		return cli_fail(CLI_USAGE, "%s is not UTF-8 text", path);
	for (i = 0; i < n; i++)
		chars += ((unsigned char)(*out)[i] & 0xc0) != 0x80;
	if (chars > TEXT_MAX_CHARS) {
		free(*out);
		*out = NULL;
		return cli_fail(CLI_USAGE, "%s: at most %u characters", path,
		    TEXT_MAX_CHARS);
	}
	return CLI_OK;
}

char *
send_state_path(const struct cli *c, const char *id)
{
	size_t n = strlen(c->dir) + 40;
	char *p = xmalloc(n);

	snprintf(p, n, "%s/sends/%s.json", c->dir, id);
	return p;
}

/*
 * POST /api/v1/messages with the record's Idempotency-Key, again while
 * the server cannot answer (a restart): the same key gets the message an
 * earlier attempt made (200, the message document) or makes it (201).
 * The record's key id is the one the gate trusts for the recipient (the
 * server then refuses if its key changed in between, 409 key_changed).
 * The answer in *created. An exit code.
 */
static int
create_message(struct cli *c, const struct send_state *st, json_t **created)
{
	json_t *files = json_array(), *rcpt, *body;
	struct http_req rq = { .method = "POST", .path = "/api/v1/messages" };
	struct http_res r;
	char key[RAND_ID_LEN + 40], *nn;
	const char *state;
	size_t i;

	nn = send_nfc_or_empty(st->rcpt_name != NULL ? st->rcpt_name : st->to);
	rcpt = json_pack("{s:s,s:s}", "email", st->to, "name", nn ? nn : "");
	if (st->phone != NULL)
		json_object_set_new(rcpt, "phone", json_string(st->phone));
	if (st->rcpt_kid != NULL)
		json_object_set_new(rcpt, "key_id", json_string(st->rcpt_kid));
	if (st->rcpt_lang != NULL)
		json_object_set_new(rcpt, "lang", json_string(st->rcpt_lang));
	for (i = 0; i < st->nfiles; i++)
		json_array_append_new(files,
		    json_pack("{s:s,s:I}", "name", st->files[i].name, "size",
		        (json_int_t)st->files[i].size));
	body = json_pack("{s:o,s:s,s:s,s:o}", "recipient", rcpt, "subject",
	    st->subject, "reference", st->reference, "files", files);
	if (st->strict)
		json_object_set_new(body, "delivery", json_string("strict"));
	snprintf(key, sizeof(key), "Idempotency-Key: %s", st->idem_key);
	rq.json = body;
	rq.headers[0] = key;
	http_do_retry(cli_http(c), &rq, &r, NULL);
	json_decref(body);
	free(nn);
	if ((r.status != 201 && r.status != 200) || !json_is_object(r.json))
		return cli_fail_answer(&r, "cannot create the message");
	state = json_string_value(json_object_get(r.json, "state"));
	if (state != NULL && strcmp(state, "uploading") != 0) {
		cli_fail(CLI_REFUSED, "message %s is %s already",
		    json_string_value(json_object_get(r.json, "id")), state);
		http_res_release(&r);
		return CLI_REFUSED;
	}
	*created = json_incref(r.json);
	http_res_release(&r);
	return CLI_OK;
}

/* The server's file list (ids, sizes) into st. An exit code. */
static int
take_files(struct send_state *st, const json_t *created)
{
	json_t *files = json_object_get(created, "files"), *one;
	const char *id = json_string_value(json_object_get(created, "id"));
	size_t i;

	if (id == NULL || !rand_id_valid(id) || !json_is_array(files) ||
	    json_array_size(files) != st->nfiles)
		return cli_fail(CLI_REFUSED, "the server's answer is unusable");
	memcpy(st->msg_id, id, RAND_ID_LEN + 1);
	json_array_foreach(files, i, one)
	{
		struct send_file *f = &st->files[i];
		const char *fid = json_string_value(json_object_get(one, "id"));
		json_t *cs = json_object_get(one, "ciphertext_size");
		uint64_t want;

		if (fid == NULL || !rand_id_valid(fid) ||
		    json_integer_value(json_object_get(one, "index")) !=
		        (json_int_t)i ||
		    stf1_ciphertext_size(f->size, STF1_LOG2_DEFAULT, &want) !=
		        STF1_OK ||
		    !json_is_integer(cs) ||
		    (uint64_t)json_integer_value(cs) != want)
			return cli_fail(CLI_REFUSED,
			    "the server's file list does not match");
		memcpy(f->id, fid, RAND_ID_LEN + 1);
		f->csize = want;
	}
	return CLI_OK;
}

uint64_t
send_chunk_of(const json_t *answer)
{
	json_int_t v = json_integer_value(
	    json_object_get(json_object_get(answer, "upload"), "chunk_size"));

	return v >= 65536 && v <= (1 << 30) ? (uint64_t)v : 16u << 20;
}

static int
upload_all(struct cli *c, struct send_state *st, const unsigned char k[32],
    const unsigned char id[16], uint64_t chunk)
{
	struct progress p;
	uint64_t total = 0, base = 0;
	size_t i;
	int rc = CLI_OK;

	for (i = 0; i < st->nfiles; i++)
		total += st->files[i].csize;
	progress_init(&p, !c->quiet && !c->json, c->tty, "sending", total);
	for (i = 0; i < st->nfiles && rc == CLI_OK; i++) {
		struct tus_job j = { c, st, &st->files[i], k, { 0 },
			(uint32_t)i, chunk, &p, base };

		memcpy(j.msg_id, id, 16);
		if (!st->files[i].done)
			rc = tus_upload(&j);
		else
			progress_skip(&p, st->files[i].csize);
		base += st->files[i].csize;
	}
	if (rc == CLI_OK)
		progress_end(&p);
	else if (p.on && p.tty)
		fputc('\n', stderr);
	return rc;
}

/* Prints the id, the report's URL and, for strict delivery, the link
 * with S that the sender delivers themselves (SECURITY.md 1.6). */
static void
print_sent(
    struct cli *c, const struct send_state *st, int to_link, const char *link)
{
	char url[700];
	size_t i;

	snprintf(
	    url, sizeof(url), "%s/berichten/%s/rapport", c->server, st->msg_id);
	if (c->json) {
		json_t *files = json_array(), *out;

		for (i = 0; i < st->nfiles; i++)
			json_array_append_new(files,
			    json_pack("{s:s,s:I,s:s}", "name",
			        st->files[i].name, "size",
			        (json_int_t)st->files[i].size, "header_sha256",
			        st->files[i].header_sha256));
		out = json_pack("{s:s,s:s,s:s,s:s,s:o}", "id", st->msg_id,
		    "state", "sent", "delivery",
		    link        ? "strict" :
		        to_link ? "standard" :
		                  "account",
		    "report_url", url, "files", files);
		if (link != NULL)
			json_object_set_new(out, "link", json_string(link));
		cli_print_json(out);
		return;
	}
	printf("%s\n%s\n", st->msg_id, url);
	if (link != NULL) {
		printf("%s\n", link);
		cli_note(c,
		    "Strict delivery: the server did not mail this link. "
		    "Send it to the recipient yourself; whoever has it and "
		    "the SMS code can open the message.");
	}
}

int
send_complete(struct cli *c, struct send_state *st, const unsigned char k[32],
    const struct send_rcpt *r, uint64_t chunk, const char *text)
{
	unsigned char id[16];
	char *link = NULL;
	int rc;

	if (b64u_decode(id, 16, st->msg_id, RAND_ID_LEN) != 16)
		return cli_fail(CLI_LOCAL, "bad message id");
	if ((rc = upload_all(c, st, k, id, chunk)) != CLI_OK)
		return rc;
	if ((rc = send_finish(c, st, k, id, r, text, &link)) != CLI_OK)
		return rc;
	(void)unlink(st->path);
	print_sent(c, st, r->link, link);
	if (link != NULL)
		free_secret(link, strlen(link));
	return CLI_OK;
}

static int
put_self_stanza(struct cli *c, const char *id, const unsigned char k[32],
    const unsigned char idb[16])
{
	unsigned char st[STANZA_X25519_LEN];
	char b64[128], path[80], msg[300];
	struct http_req rq = { .method = "PUT" };
	struct http_res r;
	json_t *body;
	int rc;

	if (stanza_x25519_wrap(st, k, idb, c->keys.x_pk) != STF1_OK)
		return cli_fail(CLI_LOCAL, "cannot wrap the message key");
	b64u_encode(b64, sizeof(b64), st, sizeof(st));
	body = json_pack("{s:s}", "self_stanza", b64);
	snprintf(path, sizeof(path), "/api/v1/messages/%s/self-stanza", id);
	rq.path = path;
	rq.json = body;
	http_do_retry(cli_http(c), &rq, &r, NULL);
	json_decref(body);
	rc = r.status == 204 ? CLI_OK : http_exit_code(&r);
	if (rc != CLI_OK)
		cli_fail(
		    rc, "self-stanza: %s", http_describe(&r, msg, sizeof(msg)));
	http_res_release(&r);
	return rc;
}

/*
 * K for the message of created: the one its self-stanza holds (a message
 * an earlier attempt made and got that far with), else a new one, stored
 * as the self-stanza before anything is encrypted under it.
 */
static int
message_key(struct cli *c, const struct send_state *st, const json_t *created,
    unsigned char k[32])
{
	const char *self = json_string_value(
	    json_object_get(created, "self_stanza"));
	unsigned char id[16], stz[STANZA_X25519_LEN];

	(void)b64u_decode(id, 16, st->msg_id, RAND_ID_LEN);
	if (self == NULL) {
		randombytes_buf(k, 32);
		return put_self_stanza(c, st->msg_id, k, id);
	}
	if (b64u_decode(stz, sizeof(stz), self, strlen(self)) !=
	        STANZA_X25519_LEN ||
	    stanza_x25519_unwrap(k, stz, id, c->keys.x_sk) != STF1_OK)
		return cli_fail(CLI_INTEGRITY,
		    "the message key does not open with this account's key");
	return CLI_OK;
}

int
send_start(struct cli *c, struct send_state *st, const char *text)
{
	struct send_rcpt r = { 0 };
	unsigned char k[32];
	json_t *created = NULL;
	char *before = NULL;
	int rc;

	if ((rc = create_message(c, st, &created)) != CLI_OK ||
	    (rc = take_files(st, created)) != CLI_OK ||
	    (rc = send_rcpt_read(c, &r, created)) != CLI_OK)
		goto out;
	/* Asked for strict, answered otherwise: a server that would get S.
	 * Nothing is encrypted or uploaded. */
	if (st->strict && r.link && !r.strict) {
		/* No record either: --resume would finish it as standard. */
		(void)unlink(st->path);
		rc = cli_fail(CLI_REFUSED,
		    "the server did not make the message strict "
		    "(delivery_mismatch); nothing was sent");
		goto out;
	}
	/* From now on the record is the message's. */
	before = st->path;
	st->path = send_state_path(c, st->msg_id);
	if (sendstate_save(st) != 0) {
		rc = cli_fail(CLI_LOCAL, "cannot write %s", st->path);
		goto out;
	}
	(void)unlink(before);
	if ((rc = message_key(c, st, created, k)) != CLI_OK)
		goto out;
	cli_note(c, "Message %s: %zu file(s) for %s", st->msg_id, st->nfiles,
	    r.email);
	rc = send_complete(c, st, k, &r, send_chunk_of(created), text);
out:
	sodium_memzero(k, sizeof(k));
	free(before);
	json_decref(created);
	send_rcpt_release(&r);
	return rc;
}
