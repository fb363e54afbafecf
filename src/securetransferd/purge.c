/* securetransferd purge: one retention pass (R6) and exit. */
#include "util/common.h"

#include "db/db.h"
#include "domain/retention.h"
#include "securetransferd/cmd.h"
#include "store/blob.h"
#include "util/clock.h"
#include "util/config.h"

static const char usage[] =
    "usage: securetransferd purge [--config FILE]\n"
    "\n"
    "Purges every sent message past its expiry (send.retention): deletes\n"
    "its objects, stanzas, link stanza and R_srv and marks it expired;\n"
    "finishes purges a crash interrupted; removes expired capabilities.\n"
    "`serve` does the same every jobs.interval seconds; this can run while\n"
    "it does. Prints \"purged N messages\".\n";

int
cmd_purge(int argc, char **argv)
{
	struct config cfg;
	struct msg_env env;
	struct db *db = NULL;
	struct blob_store *store = NULL;
	int argi, rc, n = -1;

	if ((rc = cmd_setup(&argc, argv, usage, &cfg, &argi)) != 0)
		return rc == 3 ? 0 : rc;
	if (argi != argc) {
		fputs(usage, stderr);
		config_release(&cfg);
		return 2;
	}
	if (cfg.testing_clock_file[0] != '\0')
		clock_set_offset_file(cfg.testing_clock_file);
	if ((db = cmd_open_db(&cfg, 0)) != NULL &&
	    (store = blob_open(&cfg, db)) != NULL) {
		memset(&env, 0, sizeof(env));
		env.cfg = &cfg;
		env.db = db;
		env.store = store;
		n = retention_run(&env, clock_now());
	}
	if (n >= 0)
		printf("purged %d messages\n", n);
	else
		fputs("securetransferd purge: failed; see the log\n", stderr);
	blob_close(store);
	db_close(db);
	config_release(&cfg);
	return n >= 0 ? 0 : 1;
}
