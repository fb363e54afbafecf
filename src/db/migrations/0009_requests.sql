-- Requests for documents (Q1-Q3) and the public drop-off (Q4). A request
-- is a single-use invitation for one outside person to send documents to
-- one employee. The link's token is never stored, only its SHA-256. A
-- drop-off is the same row, started by the visitor and usable only once
-- the visitor's e-mail address is confirmed with a code.
CREATE TABLE requests (
	id		TEXT PRIMARY KEY,
	token_hash	TEXT NOT NULL UNIQUE,
	kind		TEXT NOT NULL,		-- request | dropoff
	employee_id	TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	key_id		TEXT NOT NULL,		-- the key the link's fingerprint names
	ext_email	TEXT NOT NULL,
	ext_name	TEXT NOT NULL,
	text		TEXT NOT NULL,
	created_at	BIGINT NOT NULL,
	expires_at	BIGINT NOT NULL,
	confirmed_at	BIGINT,			-- request: at creation; drop-off: code
	code_hash	TEXT,			-- drop-off: HMAC(pepper, id || code)
	code_expires_at	BIGINT NOT NULL DEFAULT 0,
	failures	BIGINT NOT NULL DEFAULT 0,
	message_id	TEXT,			-- the message being uploaded or sent
	used_at		BIGINT			-- sent: the link is spent
);
CREATE INDEX requests_employee ON requests (employee_id, created_at);
CREATE INDEX requests_expiry ON requests (expires_at);

-- Messages from outside have no account behind them: their sender_id is
-- this one row, which can never log in (no verifier, not verified, an
-- e-mail address no one can register), and the message itself says who
-- sent it and through which request.
INSERT INTO users (id, email, name, is_admin, created_at, verified_at)
VALUES ('external', '', 'Externe afzender', 0, 0, NULL);
ALTER TABLE messages ADD COLUMN request_id TEXT;
CREATE INDEX messages_request ON messages (request_id);
ALTER TABLE messages ADD COLUMN ext_email TEXT;
ALTER TABLE messages ADD COLUMN ext_name TEXT;
