/* securetransferd serve: the web server. */
#include "util/common.h"

#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include "db/db.h"
#include "db/secret_checks_db.h"
#include "domain/orgs.h"
#include "domain/messages.h"
#include "domain/password.h"
#include "domain/uploads.h"
#include "http/server.h"
#include "http/static.h"
#include "jobs/jobs.h"
#include "notify/mailtext.h"
#include "notify/outbox.h"
#include "report/pdf.h"
#include "store/blob.h"
#include "securetransferd/cmd.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/log.h"

static const char usage[] =
    "usage: securetransferd serve [--config FILE]\n"
    "\n"
    "Runs the web server on server.listen until SIGTERM or SIGINT, then\n"
    "drains requests in flight (server.drain_seconds) and exits 0.\n";

/* Connects the domains of bootstrap.domains (the demo organisations). */
static int
bootstrap_domains(struct db *db, const char *list)
{
	struct db_conn *c = db_get(db);
	char *copy = xstrdup(list), *tok, *save = NULL;
	char dom[ORGS_DOMAIN_MAX + 1];
	const char *why;
	int rc = 0;

	for (tok = strtok_r(copy, ", ", &save); tok != NULL;
	     tok = strtok_r(NULL, ", ", &save)) {
		if (orgs_normalise(tok, dom, sizeof(dom), &why) == -1) {
			log_error("bad bootstrap domain", "{s:s,s:s}", "domain",
			    tok, "error", why);
			rc = -1;
			break;
		}
		if (orgs_add(c, dom) == -1) {
			rc = -1;
			break;
		}
		log_info("connected domain", "{s:s}", "domain", dom);
	}
	free(copy);
	db_put(c);
	return rc;
}

/*
 * Refuses secrets other than the installation's: a node with its own
 * (say an empty secrets_dir on a new machine, which makes new ones)
 * would fail every other node's logins, sessions and mail.
 */
static int
secrets_match_db(const struct secrets *s, struct db *db, const char *dir)
{
	const char *which;

	switch (secret_checks_verify(db, s, clock_now(), &which)) {
	case SECRET_CHECK_OK:
		return 0;
	case SECRET_CHECK_MISMATCH:
		log_error(
		    "server secrets do not match the database: every node "
		    "needs a copy of the same server.secrets_dir",
		    "{s:s,s:s}", "file", which, "secrets_dir", dir);
		return -1;
	default:
		log_error("cannot check the server secrets", NULL);
		return -1;
	}
}

/*
 * Buffers of 256 KiB and more (a PATCH's write buffer, an S3 part of up
 * to store.s3_part_size) are mapped for themselves and unmapped when
 * freed. glibc's default starts so but raises the threshold to the
 * largest such buffer freed; from then on they are cut from the threads'
 * arenas, whose freed space stays with the process: 19 MiB grew to
 * 100-200 MiB after a few hundred uploads and stayed there (issue 22,
 * bench/upload-rss). Not a leak: a plateau at the peak of buffers in use
 * at once, spread over up to 8 arenas per core. A fixed threshold keeps
 * the RSS at what is in use.
 */
static void
keep_big_buffers_mapped(void)
{
#ifdef M_MMAP_THRESHOLD
	(void)mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#endif
}

int
cmd_serve(int argc, char **argv)
{
	struct config cfg;
	struct outbox *outbox = NULL;
	struct jobs *jobs = NULL;
	struct msg_env jobs_env;
	struct app app;
	sigset_t set;
	int argi, rc;

	/* SIGTERM and SIGINT are taken by sigwait in server_run: block them
	 * before any thread starts, so no thread inherits the default. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if ((rc = cmd_setup(&argc, argv, usage, &cfg, &argi)) != 0)
		return rc == 3 ? 0 : rc;
	keep_big_buffers_mapped();
	if (argi != argc) {
		fputs(usage, stderr);
		config_release(&cfg);
		return 2;
	}
	memset(&app, 0, sizeof(app));
	app.cfg = &cfg;
	app.tls = strncmp(cfg.server_public_url, "https://", 8) == 0;
	/* __Host- cookies need Secure; browsers allow that on TLS and on
	 * loopback, which is where plain http is used (development, tests). */
	app.secure_cookies = app.tls ||
	    strncmp(cfg.server_public_url, "http://127.0.0.1", 16) == 0 ||
	    strncmp(cfg.server_public_url, "http://localhost", 16) == 0;
	if (secrets_load(&app.secrets, cfg.server_secrets_dir) == -1 ||
	    (app.db = cmd_open_db(&cfg, 0)) == NULL ||
	    secrets_match_db(&app.secrets, app.db, cfg.server_secrets_dir) ==
	        -1) {
		db_close(app.db);
		secrets_wipe(&app.secrets);
		config_release(&cfg);
		return 1;
	}
	if (cfg.testing_clock_file[0] != '\0') {
		log_warn("test clock override in use", "{s:s}", "file",
		    cfg.testing_clock_file);
		clock_set_offset_file(cfg.testing_clock_file);
	}
	password_init((unsigned)cfg.accounts_argon2_parallel);
	/* Without the front end every page would be a 503, and without the
	 * catalogue every mail a row of keys: refuse to start instead. */
	app.web_root_fd = static_open_root(cfg.server_web_root);
	if (app.web_root_fd == -1 || mailtext_load(cfg.server_web_root) == -1)
		rc = 1;
	if (rc == 0 &&
	    (bootstrap_domains(app.db, cfg.bootstrap_domains) == -1 ||
	        uploads_release_leases(app.db, cfg.server_node_id) == -1 ||
	        outbox_recover(app.db, cfg.server_node_id) == -1))
		rc = 1;
	if (rc == 0 &&
	    (outbox = outbox_start(&cfg, app.db, app.secrets.outbox_key)) ==
	        NULL)
		rc = 1;
	if (rc == 0 && (app.store = blob_open(&cfg, app.db)) == NULL)
		rc = 1;
	if (rc == 0) {
		jobs_env.cfg = &cfg;
		jobs_env.db = app.db;
		jobs_env.store = app.store;
		jobs_env.sec = &app.secrets;
		jobs_env.ip = NULL;
		if ((jobs = jobs_start(&jobs_env, (long)cfg.jobs_interval)) ==
		    NULL)
			rc = 1;
	}
	if (rc == 0 &&
	    (app.syncer = uploads_syncer_start(
	         app.db, (unsigned)cfg.server_threads)) == NULL)
		rc = 1;
	if (rc == 0 && server_run(&app) == -1)
		rc = 1;
	uploads_syncer_stop(app.syncer);
	jobs_stop(jobs);
	outbox_stop(outbox);
	pdf_shutdown();
	blob_close(app.store);
	if (app.web_root_fd != -1)
		close(app.web_root_fd);
	db_close(app.db);
	secrets_wipe(&app.secrets);
	config_release(&cfg);
	return rc;
}
