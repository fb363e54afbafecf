/*
 * receive: a link with its secret (the SMS code gate, then the link
 * stanza), or a message id of the logged-in account (its stanza). The
 * manifest is opened and checked against what the server shows before
 * anything is downloaded (web/src/receive/worker.js does the same); the
 * documents go to DIR under names made safe (client/names.h).
 */
#include "util/common.h"

#include <fcntl.h>
#include <getopt.h>
#include <sodium.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/download.h"
#include "cli/http.h"
#include "cli/opts.h"
#include "cli/receive.h"
#include "cli/session.h"
#include "cli/term.h"
#include "client/link.h"
#include "envelope/kdf.h"
#include "envelope/stanza.h"
#include "util/fsutil.h"

static const char usage[] =
    "usage: securetransfer receive LINK|MESSAGE_ID [--out DIR] [--force]\n"
    "                              [--code CODE | --send-code]\n"
    "\n"
    "LINK is the link from the mail (https://.../r/<id>#<secret>; quote it\n"
    "in the shell). A message that needs the SMS code asks for it on the\n"
    "terminal after sending it; scripts run --send-code first and then\n"
    "--code CODE. A MESSAGE_ID opens a message of the logged-in account\n"
    "(an older id that starts with - goes after --).\n"
    "Documents are decrypted into DIR (default: the current folder); a file\n"
    "gets its name only after its last record verified. Existing files are\n"
    "left alone unless --force. Also: --password-file, --password-stdin.\n";

/* POST to a link-gate endpoint with link_auth (and a code). */
static int
gate_post(struct cli *c, const char *id, const char *what,
    const char *link_auth, const char *code, struct http_res *r)
{
	char path[80];
	json_t *body = json_pack("{s:s}", "link_auth", link_auth);
	int rc;

	if (code != NULL)
		json_object_set_new(body, "code", json_string(code));
	snprintf(path, sizeof(path), "/api/v1/r/%s/%s", id, what);
	rc = http_post(cli_http(c), path, body, r);
	json_decref(body);
	return rc;
}

static int
gate_fail(struct http_res *r, const char *what)
{
	char msg[300];
	int rc = http_exit_code(r);
	json_t *left = json_object_get(
	    json_object_get(r->json, "error"), "attempts_left");

	if (rc == CLI_OK)
		rc = CLI_REFUSED;
	if (r->status == 404)
		cli_fail(rc,
		    "%s: the link is not valid (or the message is "
		    "gone)",
		    what);
	else if (r->status == 423)
		cli_fail(rc,
		    "%s: locked after too many wrong codes; the sender "
		    "can unlock it",
		    what);
	else if (strcmp(r->code, "wrong_code") == 0)
		cli_fail(rc,
		    "%s: wrong code (%" JSON_INTEGER_FORMAT " attempts left)",
		    what, json_integer_value(left));
	else if (strcmp(r->code, "code_expired") == 0)
		cli_fail(rc,
		    "%s: the code has expired; ask for a new one with "
		    "--send-code",
		    what);
	else
		cli_fail(
		    rc, "%s: %s", what, http_describe(r, msg, sizeof(msg)));
	http_res_release(r);
	return rc;
}

/* Sends the SMS code. An exit code. */
static int
send_code(struct cli *c, const char *id, const char *auth, const char *phone)
{
	struct http_res r;

	gate_post(c, id, "code", auth, NULL, &r);
	if (r.status != 202)
		return gate_fail(&r, "code");
	http_res_release(&r);
	cli_note(c, "A code was sent by SMS to %s.",
	    phone ? phone :
	            "the "
	            "mobile "
	            "number");
	return CLI_OK;
}

/* The link gate: open, the code if needed, verify. An exit code. */
static int
pass_gate(struct cli *c, const struct link *l, const char *auth,
    const struct recv_opts *o)
{
	struct http_res r;
	char *asked = NULL;
	const char *phone, *code = o->code;
	int rc, need, open;

	gate_post(c, l->id, "open", auth, NULL, &r);
	if (r.status != 200)
		return gate_fail(&r, "link");
	need = json_is_true(json_object_get(r.json, "code_required"));
	open = json_is_true(json_object_get(r.json, "open"));
	phone = json_string_value(json_object_get(r.json, "phone_masked"));
	if (json_is_true(json_object_get(r.json, "locked"))) {
		http_res_release(&r);
		return cli_fail(CLI_AUTH,
		    "link: locked after too many wrong "
		    "codes; the sender can unlock it");
	}
	if (open && !o->send_code) {
		http_res_release(&r);
		return CLI_OK;
	}
	if (need && (o->send_code || code == NULL)) {
		rc = send_code(c, l->id, auth, phone);
		if (rc != CLI_OK || o->send_code) {
			http_res_release(&r);
			return rc;
		}
		asked = term_ask("SMS code: ", 1);
		if (asked == NULL) {
			http_res_release(&r);
			return cli_fail(CLI_USAGE,
			    "an SMS code is needed: give --code CODE");
		}
		code = asked;
	}
	http_res_release(&r);
	gate_post(c, l->id, "verify", auth, need ? code : NULL, &r);
	if (asked != NULL)
		free_secret(asked, strlen(asked));
	if (r.status != 200)
		return gate_fail(&r, "code");
	http_res_release(&r);
	return CLI_OK;
}

/* The link flow up to K and the message document. */
static int
open_link(struct cli *c, struct link *l, const struct recv_opts *o,
    struct recv_msg *m)
{
	unsigned char la[32], st[STANZA_LINK_LEN], r_srv[32];
	char auth[RAND_TOKEN_LEN + 1], path[80], msg[300];
	const char *ls, *rs;
	struct http_res r;
	int rc;

	if (kdf_link_auth(la, l->s, m->id) != 0)
		return cli_fail(CLI_LOCAL, "HKDF failed");
	b64u_encode(auth, sizeof(auth), la, sizeof(la));
	sodium_memzero(la, sizeof(la));
	if ((rc = pass_gate(c, l, auth, o)) != CLI_OK || o->send_code)
		return rc;
	snprintf(path, sizeof(path), "/api/v1/r/%s", l->id);
	if (http_get(cli_http(c), path, &r) != 0 || r.status != 200) {
		rc = http_exit_code(&r);
		cli_fail(rc ? rc : CLI_REFUSED, "message: %s",
		    http_describe(&r, msg, sizeof(msg)));
		http_res_release(&r);
		return rc ? rc : CLI_REFUSED;
	}
	ls = json_string_value(json_object_get(r.json, "link_stanza"));
	rs = json_string_value(json_object_get(r.json, "r_srv"));
	if (ls == NULL || rs == NULL ||
	    b64u_decode(st, sizeof(st), ls, strlen(ls)) != STANZA_LINK_LEN ||
	    b64u_decode(r_srv, 32, rs, strlen(rs)) != 32 ||
	    stanza_link_unwrap(m->k, st, m->id, l->s, r_srv) != STF1_OK) {
		http_res_release(&r);
		return cli_fail(CLI_INTEGRITY,
		    "the message key does not open with this link");
	}
	sodium_memzero(r_srv, sizeof(r_srv));
	m->doc = json_incref(r.json);
	snprintf(
	    m->files_path, sizeof(m->files_path), "/api/v1/r/%s/files/", l->id);
	snprintf(m->want_rcpt_kid, sizeof(m->want_rcpt_kid), "link");
	http_res_release(&r);
	return CLI_OK;
}

/* CLI_REFUSED, said, for a message whose documents are gone. */
static int
gone(const char *id, const json_t *doc)
{
	const char *state = json_string_value(json_object_get(doc, "state"));

	if (state == NULL)
		return CLI_OK;
	if (strcmp(state, "expired") == 0)
		return cli_fail(CLI_REFUSED,
		    "message %s has expired: its documents were deleted at the "
		    "end of its retention period",
		    id);
	if (strcmp(state, "revoked") == 0)
		return cli_fail(CLI_REFUSED,
		    "message %s was withdrawn by its sender: its documents "
		    "were deleted",
		    id);
	if (strcmp(state, "aborted") == 0)
		return cli_fail(CLI_REFUSED,
		    "message %s was never finished: its documents were deleted",
		    id);
	return CLI_OK;
}

/* The account flow: GET /messages/{id} and the stanza for our key. */
static int
open_account(struct cli *c, const char *id, struct recv_msg *m)
{
	unsigned char st[STANZA_X25519_LEN];
	char path[80], msg[300];
	struct http_res r;
	const char *role, *s;
	int rc;

	if ((rc = session_require_keys(c)) != CLI_OK)
		return rc;
	snprintf(path, sizeof(path), "/api/v1/messages/%s", id);
	if (http_get(cli_http(c), path, &r) != 0 || r.status != 200) {
		rc = http_exit_code(&r);
		cli_fail(rc ? rc : CLI_REFUSED, "message %s: %s", id,
		    http_describe(&r, msg, sizeof(msg)));
		http_res_release(&r);
		return rc ? rc : CLI_REFUSED;
	}
	role = json_string_value(json_object_get(r.json, "role"));
	/* Purged (R6) or withdrawn: its keys and documents are gone on
	 * purpose. Say so, not that a key does not open (which reads like
	 * tampering). */
	if ((rc = gone(id, r.json)) != CLI_OK) {
		http_res_release(&r);
		return rc;
	}
	s = json_string_value(json_object_get(r.json,
	    role && strcmp(role, "sender") == 0 ? "self_stanza" : "stanza"));
	if (s == NULL ||
	    b64u_decode(st, sizeof(st), s, strlen(s)) != STANZA_X25519_LEN ||
	    stanza_x25519_unwrap(m->k, st, m->id, c->keys.x_sk) != STF1_OK) {
		http_res_release(&r);
		return cli_fail(CLI_INTEGRITY,
		    "the message key does not open with this account's key");
	}
	m->doc = json_incref(r.json);
	snprintf(m->files_path, sizeof(m->files_path),
	    "/api/v1/messages/%s/files/", id);
	if (strcmp(role, "sender") != 0)
		b64u_encode(m->want_rcpt_kid, sizeof(m->want_rcpt_kid),
		    c->keys.key_id, 16);
	http_res_release(&r);
	return CLI_OK;
}

static int
parse_args(int argc, char **argv, struct cli *c, struct recv_opts *o)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "code", required_argument, NULL, 'C' },
		{ "send-code", no_argument, NULL, 'S' },
		{ "force", no_argument, NULL, 'f' },
		CLI_PASSWORD_OPTS,
		CLI_COMMON_OPTS,
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	while ((ch = cli_getopt(c, argc, argv, "o:fh", opts)) != -1) {
		switch (ch) {
		case 'o':
			o->out = optarg;
			break;
		case 'C':
			o->code = optarg;
			break;
		case 'S':
			o->send_code = 1;
			break;
		case 'f':
			o->force = 1;
			break;
		default: /* -1 after --help */
			return cli_usage(ch, usage) == CLI_OK ? -1 : CLI_USAGE;
		}
	}
	if (optind + 1 != argc) {
		fputs(usage, stderr);
		return CLI_USAGE;
	}
	o->target = argv[optind];
	return CLI_OK;
}

int
cmd_receive(struct cli *c, int argc, char **argv)
{
	struct recv_opts o = { .out = "." };
	struct recv_msg m = { 0 };
	struct link l;
	const char *why;
	int rc;

	if ((rc = parse_args(argc, argv, c, &o)) != CLI_OK)
		return rc == -1 ? CLI_OK : rc;
	if (link_parse(o.target, strlen(o.target), &l, &why) != 0)
		return cli_fail(CLI_USAGE, "%s", why);
	if (l.base[0] != '\0' &&
	    (c->server == NULL || strcmp(c->server, l.base) != 0)) {
		/* The link names its server. */
		free(c->server);
		c->server = xstrdup(l.base);
	}
	if (c->server == NULL)
		rc = cli_fail(CLI_USAGE,
		    "no server: give the whole link, or "
		    "set [server] url");
	else if (l.kind == LINK_ID && o.send_code)
		rc = cli_fail(CLI_USAGE, "--send-code is for links");
	else {
		(void)b64u_decode(m.id, 16, l.id, RAND_ID_LEN);
		memcpy(m.id_text, l.id, sizeof(m.id_text));
		rc = l.kind == LINK_SECRET ? open_link(c, &l, &o, &m) :
		                             open_account(c, l.id, &m);
		if (rc == CLI_OK && !o.send_code)
			rc = recv_documents(c, &o, &m);
	}
	link_clear(&l);
	sodium_memzero(m.k, sizeof(m.k));
	json_decref(m.doc);
	return rc;
}
