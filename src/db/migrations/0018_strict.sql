-- Strict ("operator-blind") delivery (SECURITY.md 1.6, issue 24).
--
-- Each connected organisation's delivery policy: standard (the server
-- mails the link with S, the default), strict (the server never sees S:
-- the sender delivers the link) or sender-choice (the sender decides per
-- message). The administration pages (issue 27) read and write the same
-- column.
ALTER TABLE organisations ADD COLUMN delivery TEXT NOT NULL DEFAULT 'standard';

-- The mode a message was made in: standard or strict. It matters for a
-- link message (an account recipient never needs S). link_secret_sealed:
-- in strict mode the sender's own copy of S, sealed in their browser under
-- a key from K (docs/format-stf1.md), so the sender can show the link
-- again later; the server cannot open it. Purged with the link stanza.
ALTER TABLE messages ADD COLUMN delivery TEXT NOT NULL DEFAULT 'standard';
ALTER TABLE messages ADD COLUMN link_secret_sealed TEXT;
