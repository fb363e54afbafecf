-- /readyz asks the database for a write after a fault that a lock cannot
-- explain (a full disk, a read-only file): one row per node, the time of
-- its last such probe (db.h, db_ready).
CREATE TABLE readiness (
	node		TEXT PRIMARY KEY,
	probed_at	BIGINT NOT NULL
);
