// Read-only looks into a test server's SQLite database and blob store, for
// tests that check what the server stored (never a hook in the product).
//
//   const rows = query(srv.dir, 'SELECT id FROM messages WHERE state = ?', ['sent']);
//   blobPath(srv.dir, objectKey)   // <dir>/blobs/<k0k1>/<k2k3>/<key>
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Quotes a value as an SQL literal (tests only; values are ids and numbers). */
function literal(v) {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') return String(v);
  return `'${String(v).replace(/'/g, "''")}'`;
}

/** Runs one SELECT with the sqlite3 tool (-json, read-only); returns rows. */
export function query(dir, sql, params = []) {
  let i = 0;
  const text = sql.replace(/\?/g, () => literal(params[i++]));
  const out = execFileSync('sqlite3', ['-readonly', '-json', join(dir, 'securetransfer.db'), text], { encoding: 'utf8' });
  return out.trim() ? JSON.parse(out) : [];
}

/** Where the fs store keeps a committed object. */
export function blobPath(dir, key) {
  return join(dir, 'blobs', key.slice(0, 2), key.slice(2, 4), key);
}
