-- 100,000 sent messages of one employee, one document each, written
-- straight into a migrated database (sqlite3 CLI): the home page lists
-- the newest 5 of them. The sender is the benchmark's employee.
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
INSERT INTO messages (id, sender_id, rcpt_email, rcpt_name, rcpt_phone, rcpt_kind,
	subject, reference, state, total_size, created_at, upload_deadline, sent_at,
	expires_at, manifest, link_auth_hash, link_stanza)
SELECT printf('bench%017d', i), (SELECT id FROM users WHERE email = 'bench@org.nl'), printf('ontvanger%d@example.com', i % 977),
	'Olga Ontvanger', '+31612345678', 'link', printf('Onderwerp %d', i),
	printf('KEN-%d', i), 'sent', 1048576 + i, 1700000000 + i, 1700003600 + i,
	1700000000 + i, 2000000000 + i, 'bWFuaWZlc3Q', 'aGFzaA', 'c3RhbnphIGlz'
FROM n;
INSERT INTO files (id, message_id, idx, name, size, ciphertext_size, object_key,
	upload_offset, done)
SELECT printf('bfile%017d', substr(id, 6) + 0), id, 0, 'rapport.pdf', total_size,
	total_size + 112, printf('bobj%018d', substr(id, 6) + 0), total_size + 112, 1
FROM messages WHERE id LIKE 'bench%';
COMMIT;
ANALYZE;
