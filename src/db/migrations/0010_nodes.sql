-- Several nodes on one database (DESIGN.md §6). A PATCH lease names the
-- node that holds it (server.node_id), so a node that starts again after
-- kill -9 ends its own dead leases and no other node's live ones.
ALTER TABLE files ADD COLUMN patch_owner TEXT;

-- Background jobs (abort overdue uploads, purge, hashing) claimed by one
-- node at a time; a claim whose node died runs out at until_us. The jobs
-- stay correct without it (each change is a guarded statement); the claim
-- only keeps the nodes from doing the same work twice.
CREATE TABLE job_claims (
	name		TEXT PRIMARY KEY,
	owner		TEXT NOT NULL,
	until_us	BIGINT NOT NULL
);
