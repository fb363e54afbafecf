-- Receiving (R1-R6). The SMS code gate of a link message: at most one
-- code outstanding, stored as HMAC(pepper, msg_id || code); wrong entries
-- counted here in the same statement that checks them, so two parallel
-- guesses cannot both slip under the limit.
CREATE TABLE otp (
	message_id	TEXT PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
	code_hash	TEXT,			-- NULL: no code outstanding
	expires_at	BIGINT NOT NULL DEFAULT 0,
	failures	BIGINT NOT NULL DEFAULT 0,
	locked		BIGINT NOT NULL DEFAULT 0,	-- until the sender unlocks
	sent_at		BIGINT NOT NULL DEFAULT 0
);

-- What a correct code buys: a short-lived capability for one message,
-- held in a cookie named for that message; only its SHA-256 is kept.
CREATE TABLE capabilities (
	token_hash	TEXT PRIMARY KEY,
	message_id	TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
	expires_at	BIGINT NOT NULL
);
CREATE INDEX capabilities_message ON capabilities (message_id);
CREATE INDEX messages_expiry ON messages (state, expires_at);
