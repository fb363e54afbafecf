-- Messages (S1-S7). The server keeps ciphertext, wrapped keys and the
-- metadata the product needs; never K, S or plaintext.
CREATE TABLE messages (
	id		TEXT PRIMARY KEY,
	sender_id	TEXT NOT NULL REFERENCES users (id),
	rcpt_email	TEXT NOT NULL,
	rcpt_name	TEXT NOT NULL,
	rcpt_phone	TEXT,
	rcpt_user_id	TEXT REFERENCES users (id),
	rcpt_key_id	TEXT,
	rcpt_kind	TEXT NOT NULL,		-- account | link
	subject		TEXT NOT NULL,
	reference	TEXT NOT NULL,
	state		TEXT NOT NULL,		-- uploading sent opened downloaded expired aborted revoked
	total_size	BIGINT NOT NULL,
	created_at	BIGINT NOT NULL,
	upload_deadline	BIGINT NOT NULL,
	sent_at		BIGINT,
	expires_at	BIGINT,
	manifest	TEXT,			-- sealed, base64url
	link_auth_hash	TEXT,			-- SHA-256(link_auth)
	link_stanza	TEXT
);
CREATE INDEX messages_sender ON messages (sender_id, created_at);
CREATE INDEX messages_rcpt ON messages (rcpt_user_id, created_at);
CREATE INDEX messages_state ON messages (state, upload_deadline);

-- The per-message server share R_srv, apart so that it can be left out of
-- long-term backups and destroyed at expiry (crypto-shredding).
CREATE TABLE message_keys (
	message_id	TEXT PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
	r_srv		TEXT NOT NULL
);

CREATE TABLE files (
	id		TEXT PRIMARY KEY,
	message_id	TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
	idx		BIGINT NOT NULL,
	name		TEXT NOT NULL,
	size		BIGINT NOT NULL,
	ciphertext_size	BIGINT NOT NULL,
	object_key	TEXT NOT NULL,
	upload_offset	BIGINT NOT NULL DEFAULT 0,
	upload_started	BIGINT NOT NULL DEFAULT 0,
	patch_until_us	BIGINT NOT NULL DEFAULT 0,	-- one PATCH at a time
	done		BIGINT NOT NULL DEFAULT 0,
	UNIQUE (message_id, idx)
);

-- Who can open K: the sender's self-stanza and the recipient's.
CREATE TABLE stanzas (
	message_id	TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
	key_id		TEXT NOT NULL,
	role		TEXT NOT NULL,		-- self | recipient
	body		TEXT NOT NULL,
	PRIMARY KEY (message_id, key_id)
);

-- What happened to a message (P3); reports are built from these.
CREATE TABLE events (
	id		TEXT PRIMARY KEY,
	message_id	TEXT NOT NULL,
	at_us		BIGINT NOT NULL,
	kind		TEXT NOT NULL,
	actor		TEXT,
	ip		TEXT,
	detail		TEXT
);
CREATE INDEX events_message ON events (message_id, at_us);
