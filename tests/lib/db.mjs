// Read-only looks into a test server's SQLite database and blob store, for
// tests that check what the server stored (never a hook in the product).
//
//   const rows = query(srv.dir, 'SELECT id FROM messages WHERE state = ?', ['sent']);
//   blobPath(srv.dir, objectKey)   // <dir>/blobs/<k0k1>/<k2k3>/<key> (or s3rver's file)
//   storedFiles(srv.dir)           // every object's file, committed and staged
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { bucketName, s3 } from './s3.mjs';

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

/**
 * Where the store keeps a committed object: the fs store's file, or with
 * ST_TEST_STORE=s3 the file in which s3rver keeps objects/<key>.
 */
export function blobPath(dir, key) {
  if (s3) return s3.objectFile(bucketName(dir), `objects/${key}`);
  return join(dir, 'blobs', key.slice(0, 2), key.slice(2, 4), key);
}

/** The files of every object in the store (committed and staged). */
export function storedFiles(dir) {
  if (s3) return s3.objects(bucketName(dir)).map((k) => s3.objectFile(bucketName(dir), k));
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(join(d, e.name));
    }
  };
  walk(join(dir, 'blobs'));
  return out;
}
