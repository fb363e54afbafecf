-- The SHA-256 of each file's whole stored ciphertext (P4), computed by a
-- background job once the upload is complete; NULL until then.
ALTER TABLE files ADD COLUMN ciphertext_sha256 TEXT;
