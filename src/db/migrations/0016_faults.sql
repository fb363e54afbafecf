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

-- A mail's Message-ID, set at its first claim, before the relay is called:
-- every attempt carries the same one, also across an upgrade that makes
-- them otherwise, so the receiving side can drop a duplicate.
ALTER TABLE outbox ADD COLUMN message_id TEXT;

-- Message creation is safe to retry (the CLI does, across a restart of
-- the server): a request with an Idempotency-Key records, in the
-- transaction that makes the message, which message that account's key
-- made and a hash of the request; the same key again gets that message,
-- another request under it is refused. Kept a day (jobs/housekeeping.c),
-- one row per message made with a key.
CREATE TABLE idempotency (
	user_id		TEXT NOT NULL,
	key		TEXT NOT NULL,
	request_hash	TEXT NOT NULL,
	message_id	TEXT NOT NULL,
	created_at	BIGINT NOT NULL,
	PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_created ON idempotency (created_at);
