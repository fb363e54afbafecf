-- Retention and withdrawal (R6). A message is purged in two steps: one
-- transaction destroys R_srv, the stanzas and the link gate and sets the
-- state (expired or revoked); then its objects are deleted, and only when
-- all are gone is purged_at set. A crash in between leaves a message in
-- a final state with purged_at NULL, which the next purge run finishes.
-- The object keys stay: they name the objects still to be deleted.
ALTER TABLE messages ADD COLUMN purged_at BIGINT;
ALTER TABLE files ADD COLUMN purged BIGINT NOT NULL DEFAULT 0;
CREATE INDEX messages_purge ON messages (purged_at, state);
CREATE INDEX capabilities_expiry ON capabilities (expires_at);
