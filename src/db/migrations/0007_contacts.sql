-- The address book (C1, S8) and templates (T1, S9): personal to the
-- account, so every query names owner_id. E-mail addresses are stored as
-- email_normalise makes them (one contact per address and account),
-- mobile numbers in E.164 or '' for none.
CREATE TABLE contacts (
	id		TEXT PRIMARY KEY,
	owner_id	TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name		TEXT NOT NULL,
	organisation	TEXT NOT NULL,
	email		TEXT NOT NULL,
	phone		TEXT NOT NULL,
	created_at	BIGINT NOT NULL,
	updated_at	BIGINT NOT NULL,
	UNIQUE (owner_id, email)
);
CREATE INDEX contacts_owner_name ON contacts (owner_id, name);

-- A template fills subject, reference and the accompanying text of a new
-- message; at most one per account has is_default = 1.
CREATE TABLE templates (
	id		TEXT PRIMARY KEY,
	owner_id	TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name		TEXT NOT NULL,
	subject		TEXT NOT NULL,
	reference	TEXT NOT NULL,
	body		TEXT NOT NULL,
	is_default	BIGINT NOT NULL DEFAULT 0,
	created_at	BIGINT NOT NULL,
	updated_at	BIGINT NOT NULL,
	UNIQUE (owner_id, name)
);
