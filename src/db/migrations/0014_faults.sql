-- Staying up through faults (issue 22).
--
-- /readyz asks the database for a write after a fault that a lock cannot
-- explain (a full disk, a read-only file): one row per node, the time of
-- its last such probe (db.h, db_ready).
CREATE TABLE readiness (
	node		TEXT PRIMARY KEY,
	probed_at	BIGINT NOT NULL
);

-- The node that claimed an outbox row: a node that restarts after a crash
-- frees its own claims at once (a mail in flight is retried right away),
-- and never another node's, which run out after their lease.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
