/*
 * send --resume: a message a crash or a network failure left uploading.
 * K comes back from the self-stanza (opened with the account's X25519
 * key), the server says which files are done and where the others stand,
 * and the resume record says under which salt they were encrypted.
 */
#include "util/common.h"

#include <dirent.h>
#include <sodium.h>
#include <unistd.h>

#include "cli/http.h"
#include "cli/send.h"
#include "cli/sendresume.h"
#include "cli/session.h"
#include "envelope/stanza.h"

/* The one resume record in <dir>/sends, if there is exactly one. */
static char *
only_record(struct cli *c)
{
	char dir[4200], id[RAND_ID_LEN + 1], *found = NULL;
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(dir, sizeof(dir), "%s/sends", c->dir);
	if ((d = opendir(dir)) == NULL) {
		cli_fail(CLI_USAGE, "there is no send to resume");
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (len != RAND_ID_LEN + 5 ||
		    strcmp(de->d_name + RAND_ID_LEN, ".json") != 0)
			continue;
		memcpy(id, de->d_name, RAND_ID_LEN);
		id[RAND_ID_LEN] = '\0';
		if (!rand_id_valid(id))
			continue;
		if (n++ > 0)
			fprintf(stderr, "  %s\n", id);
		else {
			free(found);
			found = xstrdup(id);
		}
	}
	closedir(d);
	if (n == 0)
		cli_fail(CLI_USAGE, "there is no send to resume");
	if (n > 1) {
		fprintf(stderr, "  %s\n", found);
		cli_fail(CLI_USAGE, "several sends can be resumed: name one");
	}
	if (n != 1) {
		free(found);
		return NULL;
	}
	return found;
}

/* The server's view of the files into the record. An exit code. */
static int
merge_files(struct send_state *st, const json_t *doc)
{
	json_t *files = json_object_get(doc, "files"), *one;
	size_t i;

	if (json_array_size(files) != st->nfiles)
		return cli_fail(CLI_REFUSED, "the server lists other files");
	json_array_foreach(files, i, one)
	{
		struct send_file *f = &st->files[i];
		const char *fid = json_string_value(json_object_get(one, "id"));
		const char *hs = json_string_value(
		    json_object_get(one, "header_sha256"));

		if (fid == NULL || strcmp(fid, f->id) != 0)
			return cli_fail(
			    CLI_REFUSED, "the server lists other files");
		if (!json_is_true(json_object_get(one, "done")))
			continue;
		if (hs == NULL || strlen(hs) != RAND_TOKEN_LEN ||
		    (f->done && strcmp(hs, f->header_sha256) != 0))
			return cli_fail(CLI_INTEGRITY,
			    "%s: the server's header hash differs from the one "
			    "sent",
			    f->name);
		memcpy(f->header_sha256, hs, RAND_TOKEN_LEN + 1);
		f->done = 1;
	}
	return CLI_OK;
}

static int
already_over(struct cli *c, struct send_state *st, const char *state)
{
	char url[700];

	if (strcmp(state, "sent") != 0 && strcmp(state, "opened") != 0 &&
	    strcmp(state, "downloaded") != 0) {
		(void)unlink(st->path);
		return cli_fail(CLI_REFUSED,
		    "message %s is %s and can no longer be finished; send "
		    "again",
		    st->msg_id, state);
	}
	(void)unlink(st->path);
	snprintf(
	    url, sizeof(url), "%s/berichten/%s/rapport", c->server, st->msg_id);
	if (c->json)
		cli_print_json(json_pack("{s:s,s:s,s:s}", "id", st->msg_id,
		    "state", state, "report_url", url));
	else
		printf("%s\n%s\n", st->msg_id, url);
	cli_note(c, "Message %s was sent already.", st->msg_id);
	return CLI_OK;
}

static int
resume_with(struct cli *c, struct send_state *st)
{
	unsigned char k[32], id[16], stanza[STANZA_X25519_LEN];
	struct send_rcpt r = { 0 };
	struct http_req rq = { .method = "GET" };
	struct http_res res;
	char path[80], msg[300], *text = NULL;
	const char *state, *self;
	int rc;

	if ((rc = session_require_keys(c)) != CLI_OK)
		return rc;
	if (strcmp(st->server, c->server) != 0)
		cli_note(c, "Note: this send was started on %s.", st->server);
	snprintf(path, sizeof(path), "/api/v1/messages/%s", st->msg_id);
	rq.path = path;
	if (http_do_retry(cli_http(c), &rq, &res, NULL) != 0 ||
	    res.status != 200) {
		rc = http_exit_code(&res);
		cli_fail(rc ? rc : CLI_REFUSED, "message %s: %s", st->msg_id,
		    http_describe(&res, msg, sizeof(msg)));
		http_res_release(&res);
		return rc ? rc : CLI_REFUSED;
	}
	state = json_string_value(json_object_get(res.json, "state"));
	self = json_string_value(json_object_get(res.json, "self_stanza"));
	if (state == NULL || strcmp(state, "uploading") != 0) {
		rc = already_over(c, st, state ? state : "gone");
		goto out;
	}
	(void)b64u_decode(id, 16, st->msg_id, RAND_ID_LEN);
	if (self == NULL ||
	    b64u_decode(stanza, sizeof(stanza), self, strlen(self)) !=
	        STANZA_X25519_LEN ||
	    stanza_x25519_unwrap(k, stanza, id, c->keys.x_sk) != STF1_OK) {
		rc = cli_fail(CLI_INTEGRITY,
		    "the message key does not open with this account's key");
		goto out;
	}
	if ((rc = merge_files(st, res.json)) == CLI_OK &&
	    (rc = send_read_text(st->text_file, &text)) == CLI_OK &&
	    (rc = send_rcpt_read(c, &r, res.json)) == CLI_OK) {
		cli_note(c, "Resuming message %s.", st->msg_id);
		rc = send_complete(c, st, k, &r, send_chunk_of(res.json), text);
	}
	sodium_memzero(k, sizeof(k));
out:
	send_rcpt_release(&r);
	free(text);
	http_res_release(&res);
	return rc;
}

/* A crash while the message was being made: make it with the same key
 * (the server answers with the one made then, if it was), and go on. */
static int
resume_creation(struct cli *c, struct send_state *st)
{
	char *text = NULL;
	int rc;

	if ((rc = session_require_keys(c)) == CLI_OK &&
	    (rc = send_read_text(st->text_file, &text)) == CLI_OK) {
		cli_note(c, "Resuming the send to %s.", st->to);
		rc = send_start(c, st, text);
	}
	free(text);
	return rc;
}

int
send_resume(struct cli *c, const char *id)
{
	struct send_state st;
	char *found = NULL, *path;
	int rc;

	if (id == NULL && (id = found = only_record(c)) == NULL)
		return CLI_USAGE;
	if (!rand_id_valid(id)) {
		free(found);
		return cli_fail(CLI_USAGE, "not a message id: %s", id);
	}
	path = send_state_path(c, id);
	if (sendstate_load(path, &st) != 0) {
		rc = cli_fail(CLI_USAGE, "no resumable send %s (%s)", id, path);
		free(path);
		free(found);
		return rc;
	}
	free(path);
	free(found);
	if (st.msg_id[0] != '\0')
		rc = resume_with(c, &st);
	else
		rc = resume_creation(c, &st);
	sendstate_release(&st);
	return rc;
}
