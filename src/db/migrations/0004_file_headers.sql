-- The SHA-256 of each file's 96-byte STF1 header, recorded when the
-- header is acknowledged, so a sender who reloads can still build the
-- manifest (SECURITY.md 1.5) for the files already uploaded.
ALTER TABLE files ADD COLUMN header_sha256 TEXT;
