-- The key-transparency log (SECURITY.md 1.8 tier 2, docs/transparency.md):
-- every publication or change of an address's public keys is a leaf of one
-- append-only RFC 6962 Merkle tree, appended in the transaction of the
-- change itself. Rows are only ever inserted, never changed or deleted;
-- kt_head is the one row every append updates (and locks first, so appends
-- from any number of nodes are serialised).

-- Leaf idx (0, 1, 2, ...): the 120-byte leaf as b64u and its address hash,
-- for the directory's "newest leaf of this address" look-ups.
CREATE TABLE kt_leaves (
	idx		BIGINT PRIMARY KEY,
	addr_hash	TEXT NOT NULL,
	leaf		TEXT NOT NULL,
	created_at	BIGINT NOT NULL
);
CREATE INDEX kt_leaves_addr ON kt_leaves (addr_hash, idx);

-- Every complete subtree: id = level << 48 | index covers leaves
-- [index << level, (index + 1) << level); hash is its MTH as b64u. Proofs
-- for the current and every earlier tree size are made from these.
CREATE TABLE kt_nodes (
	id		BIGINT PRIMARY KEY,
	hash		TEXT NOT NULL
);

-- The newest tree head: size, root (b64u) and the signed checkpoint
-- (docs/transparency.md, "Tree heads"), signed with the log key kept in
-- server.secrets_dir, never in the database.
CREATE TABLE kt_head (
	id		BIGINT PRIMARY KEY CHECK (id = 1),
	size		BIGINT NOT NULL,
	root		TEXT NOT NULL,
	checkpoint	TEXT NOT NULL,
	updated_at	BIGINT NOT NULL
);
