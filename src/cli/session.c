/* The CLI's login state; see session.h. */
#include "util/common.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/http.h"
#include "cli/kt.h"
#include "cli/session.h"
#include "cli/term.h"
#include "cli/trust.h"
#include "envelope/ed25519.h"
#include "envelope/keyid.h"
#include "envelope/stanza.h"
#include "util/fsutil.h"
#include "util/rand.h"

#define PASSWORD_MAX 4096

static char *
path_in_dir(const struct cli *c, const char *name)
{
	size_t n = strlen(c->dir) + strlen(name) + 2;
	char *p = xmalloc(n);

	snprintf(p, n, "%s/%s", c->dir, name);
	return p;
}

static int
json_write_private(const char *path, const json_t *doc)
{
	char *s = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	int rc;

	if (s == NULL)
		return -1;
	rc = fs_write_private(path, s, strlen(s));
	free_secret(s, strlen(s));
	return rc;
}

static void
put_b64(json_t *obj, const char *key, const unsigned char *p, size_t n)
{
	char s[128];

	b64u_encode(s, sizeof(s), p, n);
	json_object_set_new(obj, key, json_string(s));
	sodium_memzero(s, sizeof(s));
}

static int
get_b64(const json_t *obj, const char *key, unsigned char *out, size_t n)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s != NULL && b64u_decode(out, n, s, strlen(s)) == (long)n ? 0 :
	                                                                   -1;
}

/* The saved keys into c->keys, checked against the saved user. */
static int
keys_from_session(struct cli *c, const json_t *keys)
{
	struct acct_keys *k = &c->keys;
	const char *uid = session_user(c, "id"),
	           *kid = session_user(c, "key_id");
	unsigned char want[16];

	memset(k, 0, sizeof(*k));
	if (uid == NULL || kid == NULL || !rand_id_valid(uid) ||
	    get_b64(keys, "x25519_sk", k->x_sk, 32) != 0 ||
	    get_b64(keys, "ed25519_seed", k->ed_seed, 32) != 0 ||
	    b64u_decode(k->uid, 16, uid, strlen(uid)) != 16 ||
	    b64u_decode(want, 16, kid, strlen(kid)) != 16 ||
	    stanza_x25519_public(k->x_pk, k->x_sk) != 0 ||
	    ed25519_public(k->ed_pk, k->ed_seed) != 0 ||
	    keyid_compute(k->key_id, k->x_pk) != 0 ||
	    sodium_memcmp(k->key_id, want, 16) != 0) {
		acct_keys_clear(k);
		return -1;
	}
	memcpy(k->user_id, uid, RAND_ID_LEN + 1);
	c->have_keys = 1;
	return 0;
}

/* Loads session.json for c->server (once). */
static void
load(struct cli *c)
{
	char *path;
	json_t *doc, *keys;
	const char *server;

	if (c->session != NULL)
		return;
	path = path_in_dir(c, "session.json");
	doc = json_load_file(path, JSON_REJECT_DUPLICATES, NULL);
	free(path);
	server = json_string_value(json_object_get(doc, "server"));
	if (doc == NULL || server == NULL) {
		json_decref(doc);
		return;
	}
	if (c->server == NULL)
		c->server = xstrdup(server);
	if (strcmp(server, c->server) != 0) {
		/* Logged in elsewhere: not a session for this server. */
		json_decref(doc);
		return;
	}
	c->session = doc;
	http_set_cookies(cli_http(c), json_object_get(doc, "cookies"));
	http_set_csrf(
	    cli_http(c), json_string_value(json_object_get(doc, "csrf")));
	keys = json_object_get(doc, "keys");
	if (keys != NULL && keys_from_session(c, keys) != 0)
		cli_note(c,
		    "securetransfer: the saved keys do not match the "
		    "account; log in again");
}

const char *
session_user(const struct cli *c, const char *field)
{
	return json_string_value(
	    json_object_get(json_object_get(c->session, "user"), field));
}

int
session_store(struct cli *c)
{
	char *path;
	int rc;

	if (c->session == NULL)
		return 0;
	json_object_set_new(c->session, "cookies", http_cookies(cli_http(c)));
	json_object_set_new(
	    c->session, "csrf", json_string(http_csrf(cli_http(c))));
	path = path_in_dir(c, "session.json");
	rc = json_write_private(path, c->session);
	free(path);
	return rc;
}

static char *
read_line_fd(int fd)
{
	char buf[PASSWORD_MAX + 2];
	size_t n = 0;
	ssize_t r;

	while (n < sizeof(buf) - 1 &&
	    (r = read(fd, buf + n, sizeof(buf) - 1 - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		n += (size_t)r;
		if (memchr(buf, '\n', n) != NULL)
			break;
	}
	buf[n] = '\0';
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	if (n == 0 || n > PASSWORD_MAX) {
		sodium_memzero(buf, sizeof(buf));
		return NULL;
	}
	{
		char *out = xmemdup0(buf, n);

		sodium_memzero(buf, sizeof(buf));
		return out;
	}
}

char *
session_password(struct cli *c, const char *email)
{
	char prompt[400];
	char *pw = NULL;
	int fd;

	if (c->password_file != NULL) {
		if ((fd = open(c->password_file, O_RDONLY | O_CLOEXEC)) == -1) {
			cli_fail(CLI_LOCAL, "cannot read %s: %s",
			    c->password_file, strerror(errno));
			return NULL;
		}
		pw = read_line_fd(fd);
		close(fd);
	} else if (c->password_stdin) {
		pw = read_line_fd(STDIN_FILENO);
	} else {
		snprintf(prompt, sizeof(prompt), "Password for %s: ", email);
		pw = term_ask(prompt, 0);
	}
	if (pw == NULL)
		cli_fail(CLI_AUTH,
		    "no password: type it on a terminal, or give "
		    "--password-file FILE or --password-stdin");
	return pw;
}

static int
answer_fail(struct http_res *r, const char *what)
{
	char msg[400];
	int code = http_exit_code(r);

	if (r->status == 401)
		cli_fail(
		    CLI_AUTH, "%s: wrong e-mail address or password", what);
	else if (r->status == 429)
		cli_fail(code, "%s: too many attempts; try again in %ld s",
		    what, r->retry_after > 0 ? r->retry_after : 900);
	else
		cli_fail(
		    code, "%s: %s", what, http_describe(r, msg, sizeof(msg)));
	http_res_release(r);
	return code == CLI_OK ? CLI_REFUSED : code;
}

/* The new session document after a login answer. */
static void
new_session(struct cli *c, const char *email, const json_t *answer,
    const unsigned char auth_key[32], int with_keys)
{
	json_t *doc = json_object(), *keys;

	json_object_set_new(doc, "v", json_integer(1));
	json_object_set_new(doc, "server", json_string(c->server));
	json_object_set_new(doc, "email", json_string(email));
	json_object_set(doc, "user", json_object_get(answer, "user"));
	if (with_keys) {
		keys = json_object();
		put_b64(keys, "auth_key", auth_key, 32);
		put_b64(keys, "x25519_sk", c->keys.x_sk, 32);
		put_b64(keys, "ed25519_seed", c->keys.ed_seed, 32);
		json_object_set_new(doc, "keys", keys);
	}
	json_decref(c->session);
	c->session = doc;
}

/*
 * The second step of a login with a second factor (A8): a code from the
 * authenticator app or a recovery code, asked on the terminal or taken
 * from $SECURETRANSFER_TOTP (scripts); a passkey only account is sent to
 * the browser. r holds the 401 on entry and the final answer after.
 */
static void
second_factor(struct cli *c, struct http_res *r)
{
	json_t *sf = json_object_get(r->json, "second_factor"), *body;
	const char *token = json_string_value(json_object_get(sf, "token"));
	char *code = NULL;
	size_t n;

	if (token == NULL)
		return;
	if (getenv("SECURETRANSFER_TOTP") != NULL)
		code = xstrdup(getenv("SECURETRANSFER_TOTP"));
	else
		code = term_ask("Code from your authenticator app, or a "
		                "recovery code: ",
		    1);
	if (code == NULL) {
		cli_note(c,
		    "This account has a second factor: give its code "
		    "on a terminal or in SECURETRANSFER_TOTP (a "
		    "passkey works in the browser only).");
		return;
	}
	n = strspn(code, "0123456789");
	body = json_pack("{s:s,s:s}", "token", token,
	    n == 6 && code[6] == '\0' ? "totp" : "recovery_code", code);
	free_secret(code, strlen(code));
	http_res_release(r);
	http_post(cli_http(c), "/api/v1/login/factor", body, r);
	json_decref(body);
}

/* POST /login with an auth key; the answer in *answer. An exit code. */
static int
post_login(struct cli *c, const char *email, const unsigned char auth_key[32],
    json_t **answer)
{
	struct http_res r;
	json_t *body = json_object();
	const char *tok;

	json_object_set_new(body, "email", json_string(email));
	put_b64(body, "auth_key", auth_key, 32);
	http_post(cli_http(c), "/api/v1/login", body, &r);
	json_decref(body);
	if (r.status == 401 && json_is_object(r.json) &&
	    json_object_get(r.json, "second_factor") != NULL)
		second_factor(c, &r);
	if (r.status != 200 || !json_is_object(r.json))
		return answer_fail(&r, "login");
	tok = json_string_value(json_object_get(r.json, "csrf"));
	http_set_csrf(cli_http(c), tok);
	*answer = json_incref(r.json);
	http_res_release(&r);
	return CLI_OK;
}

/* KEK_pw (and the auth key) from the password and a prelogin-like doc
 * {user_id | id, salt, kdf}. An exit code. */
static int
derive(const json_t *params, const char *uid_b64, const char *password,
    unsigned char auth_key[32], unsigned char kek[32])
{
	unsigned char salt[16], uid[16], mpk[32];
	struct acct_kdf kdf;
	int rc;

	if (acct_kdf_check(json_object_get(params, "kdf"), &kdf) != 0)
		return cli_fail(CLI_INTEGRITY,
		    "the server asks for key-derivation parameters below the "
		    "client's floor (weak_kdf); nothing was sent");
	if (get_b64(params, "salt", salt, 16) != 0 || uid_b64 == NULL ||
	    b64u_decode(uid, 16, uid_b64, strlen(uid_b64)) != 16)
		return cli_fail(CLI_REFUSED, "the server sent no usable salt");
	if (acct_mpk(mpk, password, salt, &kdf) != 0)
		return cli_fail(CLI_LOCAL, "Argon2id failed (out of memory?)");
	rc = acct_password_keys(auth_key, kek, mpk, uid);
	sodium_memzero(mpk, sizeof(mpk));
	return rc == 0 ? CLI_OK : cli_fail(CLI_LOCAL, "HKDF failed");
}

static int
unlock_fail(const char *why)
{
	if (strcmp(why, "wrong_password") == 0)
		return cli_fail(
		    CLI_AUTH, "the password does not open the keys");
	if (strcmp(why, "key_changed") == 0)
		return cli_fail(CLI_INTEGRITY,
		    "your keys do not match the public keys the server "
		    "publishes (key_changed): do not use this account until "
		    "this is explained");
	return cli_fail(CLI_REFUSED, "the server's account answer is unusable");
}

/*
 * Self-monitoring (SECURITY.md 1.8) once the keys are unlocked, answer
 * being the login's or GET /account's: first the key-transparency log
 * (cli/kt.h: its newest entry for the address is these keys; exit 6),
 * then the directory (cli/trust.h: what others get is these keys; exit 7).
 */
static int
self_check(struct cli *c, const char *email, const json_t *answer)
{
	int rc = cli_kt_self(
	    c, email, json_object_get(json_object_get(answer, "keys"), "log"));

	return rc == CLI_OK ? trust_self(c, email) : rc;
}

int
session_login(
    struct cli *c, const char *email, const char *password, int with_keys)
{
	unsigned char auth_key[32], kek[32];
	struct http_res r;
	json_t *body, *answer = NULL;
	const char *why;
	int rc;

	body = json_pack("{s:s}", "email", email);
	http_post(cli_http(c), "/api/v1/prelogin", body, &r);
	json_decref(body);
	if (r.status != 200 || !json_is_object(r.json))
		return answer_fail(&r, "prelogin");
	rc = derive(r.json,
	    json_string_value(json_object_get(r.json, "user_id")), password,
	    auth_key, kek);
	http_res_release(&r);
	if (rc == CLI_OK)
		rc = post_login(c, email, auth_key, &answer);
	if (rc == CLI_OK && acct_unlock(&c->keys, answer, kek, &why) != 0)
		rc = unlock_fail(why);
	/* Self-monitoring (SECURITY.md 1.8): the log, then the directory. */
	if (rc == CLI_OK)
		rc = self_check(c, email, answer);
	if (rc == CLI_OK) {
		c->have_keys = 1;
		new_session(c, email, answer, auth_key, with_keys);
		if (session_store(c) != 0)
			rc = cli_fail(
			    CLI_LOCAL, "cannot write %s/session.json", c->dir);
	}
	json_decref(answer);
	sodium_memzero(auth_key, sizeof(auth_key));
	sodium_memzero(kek, sizeof(kek));
	return rc;
}

/* The session is alive: GET /api/v1/session says so (and a new token). */
static int
alive(struct cli *c, int *yes)
{
	struct http_res r;
	const char *tok;
	char msg[400];

	*yes = 0;
	if (http_get(cli_http(c), "/api/v1/session", &r) != 0 ||
	    r.status != 200) {
		int code = http_exit_code(&r);

		cli_fail(code, "%s", http_describe(&r, msg, sizeof(msg)));
		http_res_release(&r);
		return code == CLI_OK ? CLI_REFUSED : code;
	}
	if ((tok = json_string_value(json_object_get(r.json, "csrf"))) != NULL)
		http_set_csrf(cli_http(c), tok);
	*yes = json_is_true(json_object_get(r.json, "authenticated"));
	http_res_release(&r);
	return CLI_OK;
}

static const char *
login_email(const struct cli *c)
{
	const char *e = json_string_value(json_object_get(c->session, "email"));

	return e != NULL ? e : c->email;
}

int
session_require(struct cli *c)
{
	unsigned char auth_key[32];
	json_t *answer = NULL, *saved;
	const char *email;
	char *pw;
	int rc, yes;

	if (c->server == NULL) {
		load(c);
		if (c->server == NULL)
			return cli_fail(CLI_USAGE,
			    "no server: set [server] url in config.ini, "
			    "SECURETRANSFER_SERVER or --server");
	}
	load(c);
	if (c->session != NULL) {
		if ((rc = alive(c, &yes)) != CLI_OK)
			return rc;
		if (yes)
			return session_store(c) == 0 ? CLI_OK : CLI_LOCAL;
	}
	email = login_email(c);
	saved = json_object_get(c->session, "keys");
	if (saved != NULL && email != NULL &&
	    get_b64(saved, "auth_key", auth_key, 32) == 0) {
		/* An expired session of a --save login: log in again. */
		rc = post_login(c, email, auth_key, &answer);
		sodium_memzero(auth_key, sizeof(auth_key));
		if (rc != CLI_OK)
			return rc;
		json_object_set(
		    c->session, "user", json_object_get(answer, "user"));
		rc = c->have_keys ? self_check(c, email, answer) : CLI_OK;
		json_decref(answer);
		if (rc != CLI_OK)
			return rc;
		return session_store(c) == 0 ? CLI_OK : CLI_LOCAL;
	}
	if (email == NULL ||
	    (c->password_file == NULL && !c->password_stdin &&
	        c->session == NULL))
		return cli_fail(CLI_AUTH,
		    "not logged in: run 'securetransfer login' first");
	cli_note(c, "The session has ended; logging in again as %s.", email);
	if ((pw = session_password(c, email)) == NULL)
		return CLI_AUTH;
	rc = session_login(c, email, pw, 0);
	free_secret(pw, strlen(pw));
	return rc;
}

int
session_require_keys(struct cli *c)
{
	unsigned char auth_key[32], kek[32];
	struct http_res r;
	const char *why, *email;
	char *pw;
	int rc;

	if ((rc = session_require(c)) != CLI_OK || c->have_keys)
		return rc;
	email = login_email(c);
	if ((pw = session_password(c, email ? email : "your account")) == NULL)
		return CLI_AUTH;
	if (http_get(cli_http(c), "/api/v1/account", &r) != 0 ||
	    r.status != 200) {
		free_secret(pw, strlen(pw));
		return answer_fail(&r, "account");
	}
	rc = derive(json_object_get(r.json, "keys"),
	    json_string_value(
	        json_object_get(json_object_get(r.json, "user"), "id")),
	    pw, auth_key, kek);
	free_secret(pw, strlen(pw));
	if (rc == CLI_OK && acct_unlock(&c->keys, r.json, kek, &why) != 0)
		rc = unlock_fail(why);
	if (rc == CLI_OK)
		rc = self_check(c,
		    json_string_value(json_object_get(
		        json_object_get(r.json, "user"), "email")),
		    r.json);
	if (rc == CLI_OK)
		c->have_keys = 1;
	else
		acct_keys_clear(&c->keys);
	http_res_release(&r);
	sodium_memzero(auth_key, sizeof(auth_key));
	sodium_memzero(kek, sizeof(kek));
	return rc;
}

int
session_logout(struct cli *c)
{
	struct http_res r;
	char *path;
	int rc = CLI_OK;

	load(c);
	if (c->session != NULL && c->server != NULL) {
		if (http_post(cli_http(c), "/api/v1/logout", NULL, &r) != 0)
			rc = cli_fail(CLI_NETWORK,
			    "the server did not answer; the session is "
			    "forgotten here but may live on until it "
			    "times out");
		http_res_release(&r);
	}
	path = path_in_dir(c, "session.json");
	/* Overwrite the saved keys before the name goes. */
	if (access(path, F_OK) == 0 && fs_write_private(path, "{}", 2) != 0)
		rc = cli_fail(CLI_LOCAL, "cannot rewrite %s", path);
	if (unlink(path) != 0 && errno != ENOENT)
		rc = cli_fail(
		    CLI_LOCAL, "cannot remove %s: %s", path, strerror(errno));
	free(path);
	json_decref(c->session);
	c->session = NULL;
	return rc;
}

void
session_end(struct cli *c)
{
	http_free(c->http);
	c->http = NULL;
	json_decref(c->session);
	c->session = NULL;
	acct_keys_clear(&c->keys);
	c->have_keys = 0;
	free(c->server);
	free(c->email);
	free(c->ca_file);
	free(c->log_key);
	free(c->dir);
}
