/*
 * securetransfer log verify: an outside witness and auditor of the
 * server's key-transparency log (docs/transparency.md, "Witnesses"), run
 * by hand or from cron on a machine the server's operator does not
 * control.
 */
#include "util/common.h"

#include <getopt.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/http.h"
#include "cli/kt.h"
#include "cli/kt_mirror.h"
#include "cli/opts.h"
#include "cli/session.h"
#include "envelope/keyid.h"
#include "util/rand.h"

static const char usage[] =
    "usage: securetransfer log verify [--state FILE] [--all]\n"
    "                                 [--address ADDR [--expect-key KEYID]]\n"
    "\n"
    "Checks the server's key-transparency log as a witness: its newest\n"
    "head must be signed by the log key ([log] key in config.ini or\n"
    "SECURETRANSFER_LOG_KEY) and consistent with the head seen on the last\n"
    "run (kept in FILE, default <settings>/witness-<key>.head). Two heads\n"
    "of one size, a head that does not extend the last one, or a log cut\n"
    "back exit 6.\n"
    "\n"
    "--all also keeps a copy of every leaf (FILE.leaves; needs a session:\n"
    "login --save), checks that the leaves hash to the head and that every\n"
    "address's entries are numbered 1, 2, 3, ... --address ADDR (implies\n"
    "--all) lists every entry of ADDR; with --expect-key KEYID (the key id\n"
    "of `whoami`) its newest entry must have that key, else exit 6.\n";

#define OPT_STATE 2001
#define OPT_ALL 2002
#define OPT_ADDRESS 2003
#define OPT_EXPECT 2004

struct entries {
	json_t *list;
	uint64_t newest;
	unsigned char newest_kid[KEYID_LEN];
	int any;
};

static void
add_entry(uint64_t index, const struct tlog_leaf *l, void *arg)
{
	struct entries *e = arg;
	char kid[RAND_ID_LEN + 1], words[KEYID_WORDS_MAX];

	b64u_encode(kid, sizeof(kid), l->x25519, KEYID_LEN);
	if (keyid_words(words, sizeof(words), l->x25519) != 0)
		words[0] = '\0';
	json_array_append_new(e->list,
	    json_pack("{s:I,s:I,s:s,s:I,s:s,s:s}", "index", (json_int_t)index,
	        "epoch", (json_int_t)l->epoch, "event",
	        tlog_event_name(l->event), "time", (json_int_t)l->time,
	        "key_id", kid, "words", words));
	e->newest = index;
	memcpy(e->newest_kid, l->x25519, KEYID_LEN);
	e->any = 1;
}

static void
print_entries(const json_t *list)
{
	const json_t *e;
	size_t i;

	json_array_foreach(list, i, e)
	{
		time_t t = (time_t)json_integer_value(
		    json_object_get(e, "time"));
		char when[32] = "-";
		struct tm tm;

		if (t > 0 && gmtime_r(&t, &tm) != NULL)
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
		printf("  entry %" JSON_INTEGER_FORMAT
		       "  epoch %" JSON_INTEGER_FORMAT
		       "  %-8s  %s  key %s  (%s)\n",
		    json_integer_value(json_object_get(e, "index")),
		    json_integer_value(json_object_get(e, "epoch")),
		    json_string_value(json_object_get(e, "event")), when,
		    json_string_value(json_object_get(e, "key_id")),
		    json_string_value(json_object_get(e, "words")));
	}
}

/* The current head from the server, opened with v. */
static int
fetch_head(struct cli *c, const struct tlog_verifier *v, char **note,
    struct tlog_checkpoint *cp)
{
	struct http_res r;
	const char *n;
	enum tlog_note_status st;

	if (http_get(cli_http(c), "/api/v1/log/checkpoint", &r) == -1 ||
	    r.status != 200)
		return cli_fail_answer(&r, "log head");
	n = json_string_value(json_object_get(r.json, "checkpoint"));
	st = n == NULL ? TLOG_NOTE_MALFORMED :
	                 tlog_checkpoint_open(v, n, strlen(n), cp);
	if (st != TLOG_NOTE_OK) {
		http_res_release(&r);
		return cli_fail(CLI_INTEGRITY,
		    "the server's log head is not signed by the log key (%s)",
		    tlog_note_status_name(st));
	}
	*note = xstrdup(n);
	http_res_release(&r);
	return CLI_OK;
}

struct verify_opts {
	const char *state, *address, *expect;
	int all;
};

static int
verify(struct cli *c, const struct verify_opts *o)
{
	struct tlog_verifier v;
	struct tlog_checkpoint cp;
	struct kt_scan scan = { 0 };
	struct entries ent = { 0 };
	unsigned char addr[32], want[KEYID_LEN];
	char *note = NULL, *state = NULL, *copy = NULL, root[64];
	int rc;

	if ((rc = cli_kt_verifier(c, &v)) != CLI_OK)
		return rc;
	if (c->server == NULL)
		return cli_fail(CLI_USAGE,
		    "no server: set [server] url in config.ini, "
		    "SECURETRANSFER_SERVER or --server");
	if (o->expect != NULL &&
	    b64u_decode(want, sizeof(want), o->expect, strlen(o->expect)) !=
	        KEYID_LEN)
		return cli_fail(CLI_USAGE, "--expect-key: not a key id");
	if (o->state != NULL)
		state = xstrdup(o->state);
	else {
		size_t n = strlen(c->dir) + 40;

		state = xmalloc(n);
		snprintf(
		    state, n, "%s/witness-%08" PRIx32 ".head", c->dir, v.hash);
	}
	if ((rc = fetch_head(c, &v, &note, &cp)) != CLI_OK ||
	    (rc = cli_kt_observe(c, &v, &cp, note, strlen(note), state)) !=
	        CLI_OK)
		goto out;
	if (o->all || o->address != NULL) {
		if ((rc = session_require(c)) != CLI_OK)
			goto out;
		ent.list = json_array();
		if (o->address != NULL) {
			tlog_address_hash(addr, o->address);
			scan.addr = addr;
			scan.fn = add_entry;
			scan.arg = &ent;
		}
		copy = xmalloc(strlen(state) + 8);
		snprintf(copy, strlen(state) + 8, "%s.leaves", state);
		if ((rc = kt_mirror_sync(c, copy, &cp, &scan)) != CLI_OK)
			goto out;
		if (scan.bad_epoch != 0) {
			rc = cli_fail(CLI_INTEGRITY,
			    "entry %" PRIu64
			    " is out of its address's sequence: "
			    "an entry of that address was removed or repeated",
			    scan.bad_epoch - 1);
			goto out;
		}
	}
	b64u_encode(root, sizeof(root), cp.root, sizeof(cp.root));
	if (c->json) {
		json_t *doc = json_pack("{s:s,s:I,s:s,s:b}", "origin",
		    cp.origin, "size", (json_int_t)cp.size, "root", root,
		    "consistent", 1);

		if (ent.list != NULL) {
			json_object_set_new(doc, "leaves_fetched",
			    json_integer((json_int_t)scan.fetched));
			json_object_set_new(doc, "addresses",
			    json_integer((json_int_t)scan.addresses));
		}
		if (o->address != NULL)
			json_object_set(doc, "entries", ent.list);
		cli_print_json(doc);
	} else {
		printf("log %s: size %" PRIu64 ", root %s: consistent with the "
		       "heads seen before\n",
		    cp.origin, cp.size, root);
		if (ent.list != NULL)
			printf("every leaf checked: %" PRIu64
			       " addresses, %" PRIu64 " leaves fetched now\n",
			    scan.addresses, scan.fetched);
		if (o->address != NULL) {
			printf("%s: %zu entries\n", o->address,
			    json_array_size(ent.list));
			print_entries(ent.list);
		}
	}
	if (o->expect != NULL &&
	    (!ent.any || memcmp(ent.newest_kid, want, KEYID_LEN) != 0))
		rc = cli_fail(CLI_INTEGRITY,
		    "the newest entry of %s is not key %s: someone published "
		    "another key for this address",
		    o->address, o->expect);
out:
	json_decref(ent.list);
	free(note);
	free(state);
	free(copy);
	return rc;
}

int
cmd_log(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTS,
		{ "state", required_argument, NULL, OPT_STATE },
		{ "all", no_argument, NULL, OPT_ALL },
		{ "address", required_argument, NULL, OPT_ADDRESS },
		{ "expect-key", required_argument, NULL, OPT_EXPECT },
		{ NULL, 0, NULL, 0 },
	};
	struct verify_opts o = { 0 };
	char *addr = NULL;
	int ch, rc;

	if (argc < 2 || strcmp(argv[1], "verify") != 0) {
		if (argc >= 2 &&
		    (strcmp(argv[1], "--help") == 0 ||
		        strcmp(argv[1], "-h") == 0))
			return cli_usage('h', usage);
		return cli_usage('?', usage);
	}
	argc--;
	argv++;
	while ((ch = cli_getopt(c, argc, argv, "h", opts)) != -1) {
		switch (ch) {
		case OPT_STATE:
			o.state = optarg;
			break;
		case OPT_ALL:
			o.all = 1;
			break;
		case OPT_ADDRESS:
			o.address = optarg;
			break;
		case OPT_EXPECT:
			o.expect = optarg;
			break;
		default:
			return cli_usage(ch, usage);
		}
	}
	if (optind != argc || (o.expect != NULL && o.address == NULL))
		return cli_usage('?', usage);
	/* The directory lower-cases addresses (ASCII: nothing else is
	 * accepted) before they are hashed into the log. */
	if (o.address != NULL) {
		char *p;

		addr = xstrdup(o.address);
		for (p = addr; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		o.address = addr;
	}
	rc = verify(c, &o);
	free(addr);
	return rc;
}
