/* securetransferd migrate: apply the schema migrations and exit. */
#include "util/common.h"

#include "db/db.h"
#include "securetransferd/cmd.h"
#include "util/config.h"

static const char usage[] =
    "usage: securetransferd migrate [--config FILE]\n"
    "\n"
    "Applies the database migrations that have not run yet. `serve` does\n"
    "this at start too; run it alone before starting several nodes.\n";

int
cmd_migrate(int argc, char **argv)
{
	struct config cfg;
	struct db *db;
	int argi, rc;

	if ((rc = cmd_setup(&argc, argv, usage, &cfg, &argi)) != 0)
		return rc == 3 ? 0 : rc;
	db = cmd_open_db(&cfg, 1);
	rc = db != NULL ? 0 : 1;
	db_close(db);
	config_release(&cfg);
	return rc;
}
