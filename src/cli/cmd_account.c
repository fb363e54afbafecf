/* login, logout, whoami. */
#include "util/common.h"

#include <getopt.h>
#include <sodium.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/http.h"
#include "cli/opts.h"
#include "cli/session.h"
#include "cli/term.h"
#include "envelope/keyid.h"
#include "util/rand.h"

static const char login_usage[] =
    "usage: securetransfer login [--email ADDR] [--save]\n"
    "                            [--password-file FILE | --password-stdin]\n"
    "\n"
    "Logs in with the account's password: Argon2id and HKDF here, exactly as\n"
    "the browser does, so the password never leaves this machine. The\n"
    "session cookie is kept in the settings folder (mode 0600). The keys\n"
    "stay in memory only, and commands that need them ask for the password\n"
    "again, unless --save writes them (and the auth key) to that file too:\n"
    "for scripts; the file is then as good as the password.\n";

static const char logout_usage[] =
    "usage: securetransfer logout\n"
    "\n"
    "Ends the session on the server and removes the session file with any\n"
    "saved keys.\n";

static const char whoami_usage[] =
    "usage: securetransfer whoami\n"
    "\n"
    "Shows the logged-in account and the fingerprint of its key; exit 3 if\n"
    "not logged in.\n";

static void
print_account(struct cli *c, int saved)
{
	char kid[RAND_ID_LEN + 1], words[KEYID_WORDS_MAX] = "";
	const char *email = session_user(c, "email");
	const char *name = session_user(c, "name");
	const char *k = session_user(c, "key_id");
	unsigned char id[16];

	if (k != NULL && b64u_decode(id, 16, k, strlen(k)) == 16)
		(void)keyid_words(words, sizeof(words), id);
	snprintf(kid, sizeof(kid), "%s", k != NULL ? k : "");
	if (c->json) {
		cli_print_json(json_pack("{s:s?,s:s?,s:s?,s:s,s:s,s:s,s:b}",
		    "email", email, "name", name, "user_id",
		    session_user(c, "id"), "key_id", kid, "fingerprint", words,
		    "server", c->server, "keys_saved", saved));
		return;
	}
	printf("%s <%s>\n", name ? name : "", email ? email : "");
	printf("server:      %s\n", c->server);
	printf("key id:      %s\n", kid);
	printf("fingerprint: %s\n", words);
	printf("keys:        %s\n",
	    saved ? "saved in the session file" :
	            "not saved (asked for when needed)");
}

int
cmd_login(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "email", required_argument, NULL, 'e' },
		{ "save", no_argument, NULL, 'S' },
		CLI_PASSWORD_OPTS,
		CLI_COMMON_OPTS,
		{ NULL, 0, NULL, 0 },
	};
	char *email = NULL, *pw = NULL;
	int ch, save = 0, rc;

	while ((ch = cli_getopt(c, argc, argv, "e:h", opts)) != -1) {
		switch (ch) {
		case 'e':
			free(c->email);
			c->email = xstrdup(optarg);
			break;
		case 'S':
			save = 1;
			break;
		default:
			return cli_usage(ch, login_usage);
		}
	}
	if (optind != argc) {
		fputs(login_usage, stderr);
		return CLI_USAGE;
	}
	if (c->server == NULL)
		return cli_fail(CLI_USAGE,
		    "no server: set [server] url in config.ini, "
		    "SECURETRANSFER_SERVER or --server");
	if (c->email != NULL)
		email = xstrdup(c->email);
	else if ((email = term_ask("E-mail address: ", 1)) == NULL)
		return cli_fail(CLI_USAGE, "no e-mail address: --email ADDR");
	if ((pw = session_password(c, email)) == NULL) {
		free(email);
		return CLI_AUTH;
	}
	rc = session_login(c, email, pw, save);
	free_secret(pw, strlen(pw));
	free(email);
	if (rc == CLI_OK)
		print_account(c, save);
	return rc;
}

int
cmd_logout(struct cli *c, int argc, char **argv)
{
	int rc;

	if ((rc = cli_plain_opts(c, argc, argv, logout_usage)) != CLI_OK)
		return rc == -1 ? CLI_OK : rc;
	rc = session_logout(c);
	if (rc == CLI_OK && c->json)
		cli_print_json(json_pack("{s:b}", "logged_out", 1));
	else if (rc == CLI_OK)
		cli_note(c, "Logged out.");
	return rc;
}

int
cmd_whoami(struct cli *c, int argc, char **argv)
{
	struct http_res r;
	int rc;

	if ((rc = cli_plain_opts(c, argc, argv, whoami_usage)) != CLI_OK)
		return rc == -1 ? CLI_OK : rc;
	/* No password prompt here: only a live or saved session counts. */
	c->password_file = NULL;
	if ((rc = session_require(c)) != CLI_OK)
		return rc;
	if (http_get(cli_http(c), "/api/v1/account", &r) == 0 &&
	    r.status == 200 && c->session != NULL)
		json_object_set(
		    c->session, "user", json_object_get(r.json, "user"));
	http_res_release(&r);
	print_account(c, c->have_keys);
	return CLI_OK;
}
