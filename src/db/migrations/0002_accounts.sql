-- Accounts (A1-A6): key material made in the browser (SECURITY.md 1.7).
-- The server keeps the peppered Argon2id verifier of the auth key, the
-- wrapped user key and private keys, and the public keys; never a password.
ALTER TABLE users ADD COLUMN kdf_salt TEXT;
ALTER TABLE users ADD COLUMN kdf_m BIGINT;
ALTER TABLE users ADD COLUMN kdf_t BIGINT;
ALTER TABLE users ADD COLUMN kdf_p BIGINT;
ALTER TABLE users ADD COLUMN verifier TEXT;
ALTER TABLE users ADD COLUMN wrapped_uk_pw TEXT;
ALTER TABLE users ADD COLUMN wrapped_uk_rec TEXT;
ALTER TABLE users ADD COLUMN x25519_pk TEXT;
ALTER TABLE users ADD COLUMN ed25519_pk TEXT;
ALTER TABLE users ADD COLUMN wrapped_x25519_sk TEXT;
ALTER TABLE users ADD COLUMN wrapped_ed25519_sk TEXT;
ALTER TABLE users ADD COLUMN key_id TEXT;
ALTER TABLE users ADD COLUMN keys_changed_at BIGINT;

-- Sessions: the cookie value is never stored, only its SHA-256.
CREATE TABLE sessions (
	id_hash		TEXT PRIMARY KEY,
	user_id		TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at	BIGINT NOT NULL,
	last_seen	BIGINT NOT NULL,
	ip		TEXT NOT NULL,
	agent		TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Single-use tokens sent by mail (verify, reset); stored hashed.
CREATE TABLE tokens (
	hash		TEXT PRIMARY KEY,
	kind		TEXT NOT NULL,
	user_id		TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at	BIGINT NOT NULL,
	expires_at	BIGINT NOT NULL,
	used_at		BIGINT
);
CREATE INDEX tokens_user ON tokens (user_id, kind);

-- Fixed-window counters shared by every node (SECURITY.md W13).
CREATE TABLE rate_limits (
	key		TEXT NOT NULL,
	window_start	BIGINT NOT NULL,
	count		BIGINT NOT NULL,
	PRIMARY KEY (key, window_start)
);

-- The durable outbox (O3): rows written in the transaction that causes
-- them. payload is sealed under the outbox key kept outside the database
-- (W1) and emptied once the message is handed over.
CREATE TABLE outbox (
	id		TEXT PRIMARY KEY,
	kind		TEXT NOT NULL,
	recipient	TEXT NOT NULL,
	state		TEXT NOT NULL,
	attempts	BIGINT NOT NULL DEFAULT 0,
	next_at		BIGINT NOT NULL,
	claimed_until	BIGINT NOT NULL DEFAULT 0,
	created_at	BIGINT NOT NULL,
	sent_at		BIGINT,
	payload		TEXT NOT NULL,
	reply		TEXT,
	ref		TEXT
);
CREATE INDEX outbox_due ON outbox (state, next_at);
