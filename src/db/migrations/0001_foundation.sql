-- Connected organisations (O1): who may register.
CREATE TABLE organisations (
	domain		TEXT PRIMARY KEY,
	added_at	BIGINT NOT NULL
);

-- Employees' accounts. The accounts migration adds the key material.
CREATE TABLE users (
	id		TEXT PRIMARY KEY,
	email		TEXT NOT NULL UNIQUE,
	name		TEXT NOT NULL,
	is_admin	BIGINT NOT NULL DEFAULT 0,
	created_at	BIGINT NOT NULL,
	verified_at	BIGINT
);

-- The audit log (O4): append-only; never a secret in detail.
CREATE TABLE audit (
	id		TEXT PRIMARY KEY,
	at_us		BIGINT NOT NULL,
	actor		TEXT,
	ip		TEXT,
	kind		TEXT NOT NULL,
	subject		TEXT,
	detail		TEXT
);
CREATE INDEX audit_at ON audit (at_us);
