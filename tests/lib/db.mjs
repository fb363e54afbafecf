// Looks into a test server's database and blob store, for tests that check
// what the server stored or set up a state (never a hook in the product).
// The database is SQLite (<dir>/securetransfer.db), or, when the suite runs
// against PostgreSQL (ST_TEST_PG, see server.mjs), the schema of that
// server, named in <dir>/pg.conninfo.
//
//   const rows = query(srv.dir, 'SELECT id FROM messages WHERE state = ?', ['sent']);
//   exec(srv.dir, "UPDATE messages SET state = 'expired' WHERE id = 'x'");
//   blobPath(srv.dir, objectKey)   // <dir>/blobs/<k0k1>/<k2k3>/<key> (or s3rver's file)
//   storedFiles(srv.dir)           // every object's file, committed and staged
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bucketName, s3 } from './s3.mjs';

/** Quotes a value as an SQL literal (tests only; values are ids and numbers). */
function literal(v) {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') return String(v);
  return `'${String(v).replace(/'/g, "''")}'`;
}

/** The libpq connection string of the server in dir, or null for SQLite. */
export function pgConninfo(dir) {
  const f = join(dir, 'pg.conninfo');
  return existsSync(f) ? readFileSync(f, 'utf8').trim() : null;
}

/** 'postgres' or 'sqlite': which engine the server in dir uses. */
export function engine(dir) {
  return pgConninfo(dir) ? 'postgres' : 'sqlite';
}

function psql(conninfo, sql, extra = []) {
  return execFileSync('psql', [conninfo, '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', ...extra, '-c', sql], {
    encoding: 'utf8',
    maxBuffer: 256 << 20, // whole tables (the transparency log's leaves)
  });
}

/** Runs one SELECT (read-only); returns rows as objects. */
export function query(dir, sql, params = []) {
  let i = 0;
  const text = sql.replace(/\?/g, () => literal(params[i++]));
  const pg = pgConninfo(dir);
  if (pg) return JSON.parse(psql(pg, `SELECT COALESCE(json_agg(t), '[]') FROM (${text}) t`));
  const out = execFileSync('sqlite3', ['-readonly', '-json', join(dir, 'securetransfer.db'), text], { encoding: 'utf8', maxBuffer: 256 << 20 });
  return out.trim() ? JSON.parse(out) : [];
}

/** Runs SQL statements that change the database (test set-up only). */
export function exec(dir, sql) {
  const pg = pgConninfo(dir);
  if (pg) psql(pg, sql);
  else execFileSync('sqlite3', ['-cmd', '.timeout 10000', join(dir, 'securetransfer.db'), sql]);
}

/** Everything the database holds, as bytes: the SQLite files, or a data dump. */
export function storedBytes(dir) {
  const pg = pgConninfo(dir);
  if (pg) {
    const schema = /search_path=(\w+)/.exec(pg)[1];
    return execFileSync('pg_dump', ['--data-only', `--schema=${schema}`, pg.replace(/ options='[^']*'/, '')], {
      maxBuffer: 1 << 30,
    });
  }
  const parts = [];
  for (const f of ['securetransfer.db', 'securetransfer.db-wal']) {
    try {
      parts.push(readFileSync(join(dir, f)));
    } catch {
      /* no WAL */
    }
  }
  return Buffer.concat(parts);
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
