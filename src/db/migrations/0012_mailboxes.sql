-- Department mailboxes (A7, SECURITY.md 1.6). A mailbox is a users row of
-- kind 'mailbox': it has an address, a name and public keys, so it can be
-- a recipient, a sender and the owner of contacts and templates like any
-- account, but it has no password and can never log in. Its members act
-- for it after choosing it in the page header.
ALTER TABLE users ADD COLUMN kind TEXT NOT NULL DEFAULT 'person';

-- Every key pair the mailbox has had: a member removes a colleague by
-- making a new pair (future messages) while older messages stay readable
-- for those who remain. The private keys are wrapped under a random
-- mailbox key MK of that version (as an account's under its UK); users
-- holds the current version's public keys and key id.
CREATE TABLE mailbox_keys (
	mailbox_id	TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	key_id		TEXT NOT NULL,
	x25519_pk	TEXT NOT NULL,
	ed25519_pk	TEXT NOT NULL,
	wrapped_x25519_sk TEXT NOT NULL,
	wrapped_ed25519_sk TEXT NOT NULL,
	created_at	BIGINT NOT NULL,
	created_by	TEXT NOT NULL,
	PRIMARY KEY (mailbox_id, key_id)
);

CREATE TABLE mailbox_members (
	mailbox_id	TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	user_id		TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	role		TEXT NOT NULL,		-- owner | member
	added_by	TEXT NOT NULL,
	added_at	BIGINT NOT NULL,
	PRIMARY KEY (mailbox_id, user_id)
);
CREATE INDEX mailbox_members_user ON mailbox_members (user_id);

-- MK of one key version wrapped to one member's X25519 key: an 80-byte
-- stanza made in the browser of the member who granted it.
CREATE TABLE mailbox_grants (
	mailbox_id	TEXT NOT NULL,
	user_id		TEXT NOT NULL,
	key_id		TEXT NOT NULL,
	member_key_id	TEXT NOT NULL,		-- the member key it is wrapped to
	granted_by	TEXT NOT NULL,
	body		TEXT NOT NULL,
	PRIMARY KEY (mailbox_id, user_id, key_id),
	FOREIGN KEY (mailbox_id, user_id) REFERENCES mailbox_members
	    (mailbox_id, user_id) ON DELETE CASCADE
);

-- A mailbox's page shows its membership history from the audit log.
CREATE INDEX audit_subject ON audit (subject, at_us);

-- Which member acted for a mailbox (events.actor is then the mailbox).
ALTER TABLE events ADD COLUMN member_id TEXT;
