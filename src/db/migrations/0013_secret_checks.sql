-- Every node of an installation must load the same server secrets
-- (server.secrets_dir: pepper, server.key, outbox.key), or logins, sessions,
-- tokens and outbox rows made by one node fail on another. The first node
-- to start records a check value of each secret (HMAC-SHA-256 under the
-- secret of a fixed label); a node whose secrets give other values refuses
-- to start (db/secret_checks_db.c). A check value says nothing about its
-- secret.
CREATE TABLE secret_checks (
	name		TEXT PRIMARY KEY,
	mac		TEXT NOT NULL,
	created_at	BIGINT NOT NULL
);
