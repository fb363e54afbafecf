-- Administration in the browser ("Beheer", O6) and the second factor (A8).

-- Each connected organisation's policy; NULL means the server-wide setting
-- (send.retention, send.allowed_extensions, send.max_message_bytes,
-- send.sms_allowed_prefixes). The delivery policy (standard, strict,
-- sender-choice) is organisations.delivery of 0018_strict.
ALTER TABLE organisations ADD COLUMN retention BIGINT;
ALTER TABLE organisations ADD COLUMN extensions TEXT;
ALTER TABLE organisations ADD COLUMN max_message_bytes BIGINT;
ALTER TABLE organisations ADD COLUMN outsiders BIGINT NOT NULL DEFAULT 1;
ALTER TABLE organisations ADD COLUMN sms_prefixes TEXT;
ALTER TABLE organisations ADD COLUMN updated_at BIGINT;

-- A blocked account cannot log in and has no sessions; last_login_at is
-- shown on the Accounts page.
ALTER TABLE users ADD COLUMN blocked_at BIGINT;
ALTER TABLE users ADD COLUMN last_login_at BIGINT;
CREATE INDEX users_name ON users (name);

-- When this session last proved a second factor (0: never). Administrator
-- routes want it within the last 15 minutes.
ALTER TABLE sessions ADD COLUMN factor_at BIGINT NOT NULL DEFAULT 0;

-- Passkeys and security keys (WebAuthn). public_key is the credential's
-- SubjectPublicKeyInfo (DER, base64url) made from its COSE key; alg the
-- COSE algorithm (-7 ES256, -8 EdDSA); sign_count the authenticator's
-- signature counter, which must grow when it is not zero.
CREATE TABLE webauthn_credentials (
	id		TEXT PRIMARY KEY,
	user_id		TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	public_key	TEXT NOT NULL,
	alg		BIGINT NOT NULL,
	sign_count	BIGINT NOT NULL,
	name		TEXT NOT NULL,
	created_at	BIGINT NOT NULL,
	last_used_at	BIGINT
);
CREATE INDEX webauthn_user ON webauthn_credentials (user_id);

-- An authenticator app (TOTP, RFC 6238). The secret is sealed under a key
-- derived from server.key (outside the database), bound to the user id.
-- last_step is the newest time step accepted: a step is accepted once.
CREATE TABLE totp (
	user_id		TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	secret		TEXT NOT NULL,
	confirmed_at	BIGINT,
	last_step	BIGINT NOT NULL DEFAULT 0,
	created_at	BIGINT NOT NULL
);

-- Recovery codes: shown once, stored as keyed hashes, each used once.
CREATE TABLE recovery_codes (
	user_id		TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	code_hash	TEXT NOT NULL,
	created_at	BIGINT NOT NULL,
	used_at		BIGINT,
	PRIMARY KEY (user_id, code_hash)
);

-- Outstanding second-factor challenges: a login waiting for its second
-- factor (id_hash the keyed hash of the token the browser holds), or a
-- WebAuthn challenge of a session (keyed hash of purpose and session).
-- Each is used once and runs out after a few minutes.
CREATE TABLE factor_challenges (
	id_hash		TEXT PRIMARY KEY,
	user_id		TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	purpose		TEXT NOT NULL,		-- login | register | verify
	challenge	TEXT NOT NULL,
	expires_at	BIGINT NOT NULL,
	old_session	TEXT
);
CREATE INDEX factor_challenges_expiry ON factor_challenges (expires_at);

-- The audit page filters by actor and by action.
CREATE INDEX audit_actor ON audit (actor, at_us);
CREATE INDEX audit_kind ON audit (kind, at_us);
