/*
 * The key-transparency log's key (docs/transparency.md, "The log key"):
 * `securetransferd log key` prints its public half (making the key on
 * first use), and serve loads it and checks that the web bundle it serves
 * was built for it.
 */
#include "util/common.h"

#include <fcntl.h>
#include <unistd.h>

#include "securetransferd/cmd.h"
#include "tlog/keyfile.h"
#include "util/config.h"
#include "util/log.h"

static const char usage[] =
    "usage: securetransferd log key [--config FILE]\n"
    "\n"
    "Prints the public half of the key-transparency log's key (the\n"
    "verifier key line the web bundle and the CLI are given), making the\n"
    "key in server.secrets_dir/log.key if there is none yet. The key name\n"
    "is server.public_url's host and path with /kt; it stays with the key.\n";

int
log_key_load(const struct config *cfg, struct tlog_signer *s)
{
	char name[TLOG_NAME_MAX + 1];
	int created;

	tlog_default_name(cfg->server_public_url, name);
	return tlog_keyfile_load(s, cfg->server_secrets_dir, name, &created);
}

/* The verifier key line of web_root/log-key.pub into out; 0, 1 when the
 * bundle has none, -1 when it cannot be read. */
static int
bundle_key(const char *web_root, char *out, size_t outlen)
{
	char path[4096];
	ssize_t n;
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/log-key.pub", web_root) >=
	    sizeof(path))
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return errno == ENOENT ? 1 : -1;
	n = read(fd, out, outlen - 1);
	close(fd);
	if (n < 0)
		return -1;
	out[n] = '\0';
	out[strcspn(out, "\n")] = '\0';
	return 0;
}

int
log_key_matches_bundle(const struct config *cfg, const struct tlog_signer *s)
{
	char have[TLOG_KEY_TEXT_MAX + 2], want[TLOG_KEY_TEXT_MAX + 1];
	int rc = bundle_key(cfg->server_web_root, have, sizeof(have));

	if (tlog_verifier_format(&s->v, want, sizeof(want)) == -1)
		return -1;
	if (rc == 1) {
		log_warn("the web bundle names no transparency-log key; build "
		         "it with this server's log.pub (docs/transparency.md)",
		    "{s:s,s:s}", "web_root", cfg->server_web_root, "log_key",
		    want);
		return 0;
	}
	if (rc == -1 || strcmp(have, want) != 0) {
		log_error(
		    "the web bundle was built for another transparency-"
		    "log key: browsers would refuse every key this server "
		    "hands out. Build it with this server's log.pub "
		    "(docs/transparency.md)",
		    "{s:s,s:s,s:s}", "web_root", cfg->server_web_root,
		    "log_key", want, "bundle_key",
		    rc == -1 ? "unreadable" : have);
		return -1;
	}
	return 0;
}

int
cmd_log(int argc, char **argv)
{
	char text[TLOG_KEY_TEXT_MAX + 1];
	struct tlog_signer s;
	struct config cfg;
	int argi, rc;

	if ((rc = cmd_setup(&argc, argv, usage, &cfg, &argi)) != 0)
		return rc == 3 ? 0 : rc;
	if (argc - argi != 1 || strcmp(argv[argi], "key") != 0) {
		fputs(usage, stderr);
		config_release(&cfg);
		return 2;
	}
	rc = 1;
	if (log_key_load(&cfg, &s) == 0 &&
	    tlog_verifier_format(&s.v, text, sizeof(text)) == 0) {
		printf("%s\n", text);
		rc = 0;
	}
	tlog_signer_wipe(&s);
	config_release(&cfg);
	return rc;
}
