-- The keyring of each account (SECURITY.md 1.8 tier 1): the pins of the
-- keys its owner trusts, sealed in the browser under the user key UK
-- (AES-GCM, aad "securetransfer/v1/keyring" || user_id), so the server
-- stores it but can neither read nor change a pin. version counts the
-- writes: a write names the version it read and fails (409) when another
-- tab or browser wrote in between (optimistic concurrency). A reset
-- without the recovery key deletes it: the new UK cannot open it.
CREATE TABLE keyrings (
	user_id		TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	version		BIGINT NOT NULL,
	blob		TEXT NOT NULL,
	updated_at	BIGINT NOT NULL
);
