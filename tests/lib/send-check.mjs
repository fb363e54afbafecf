// End-to-end proof for browser sends, from outside the product: S from the
// recipient's link mail, R_srv and the link stanza from the database, K
// unwrapped in node with web/src/crypto, every stored object decrypted with
// the C envelope (stf1-tool) and compared with the original file. And the
// other side of that coin (strict delivery, SECURITY.md §1.6 and §2): what a
// passive operator can open with everything at rest (operatorView), and
// where a link secret appears in it (secretLeaks).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unwrapLink } from '../../web/src/crypto/stanza.js';
import { openManifest } from '../../web/src/crypto/manifest.js';
import { waitForOutboxMail } from './api.mjs';
import { blobPath, query, storedBytes, storedFiles } from './db.mjs';
import { stf1Tool } from './send.mjs';
import { REPO } from './server.mjs';

export function sha256File(path) {
  return new Promise((res, rej) => {
    const h = createHash('sha256');
    createReadStream(path).on('data', (d) => h.update(d)).on('end', () => res(h.digest('hex'))).on('error', rej);
  });
}

/** S from the link in the recipient's mail: /r/<msgId>#<S>. */
export async function linkSecret(srv, to, msgId) {
  const mail = await waitForOutboxMail(join(srv.dir, 'outbox'), to, (m) => m.text.includes(`/r/${msgId}#`), 15000);
  const m = mail.text.match(new RegExp(`/r/${msgId}#([A-Za-z0-9_-]{43})`));
  if (!m) throw new Error(`no link with S in: ${mail.text}`);
  return { S: Buffer.from(m[1], 'base64url'), mail };
}

/** K of a sent link message, opened the way a recipient's browser would. */
export async function messageKey(srv, msgId, S) {
  const [{ r_srv }] = query(srv.dir, 'SELECT r_srv FROM message_keys WHERE message_id = ?', [msgId]);
  const [{ link_stanza, manifest }] = query(srv.dir, 'SELECT link_stanza, manifest FROM messages WHERE id = ?', [msgId]);
  const id = Buffer.from(msgId, 'base64url');
  const K = await unwrapLink({ stanza: Buffer.from(link_stanza, 'base64url'), S, Rsrv: Buffer.from(r_srv, 'base64url'), msgId: id });
  const opened = await openManifest({ sealed: Buffer.from(manifest, 'base64url'), K, msgId: id });
  return { K: Buffer.from(K), manifest: opened };
}

/**
 * Decrypts every file object of the message with stf1-tool; returns
 * [{idx, name, size, sha256}] of the plaintexts (and checks the sizes).
 */
export async function decryptAll(srv, msgId, K) {
  const files = query(srv.dir, 'SELECT idx, name, size, object_key, done FROM files WHERE message_id = ? ORDER BY idx', [msgId]);
  const tmp = mkdtempSync(join(tmpdir(), 'st-dec-'));
  const out = [];
  try {
    for (const f of files) {
      const plain = join(tmp, `p${f.idx}`);
      execFileSync(stf1Tool(), ['decrypt', '--key-hex', K.toString('hex'), blobPath(srv.dir, f.object_key), plain]);
      out.push({ idx: f.idx, name: f.name, size: f.size, done: f.done, sha256: await sha256File(plain) });
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return out;
}

/**
 * The passive operator of SECURITY.md §2 (tests/tools/operator-open.py, a
 * script that knows the formats and shares no code with the product): with
 * the whole data directory (database and WAL, blobs, secrets, SMS log, mail
 * folder), the database's rows (either engine), the server's log and every
 * mail the SMTP server received (smtp: tests/lib/smtp.mjs, or null), it
 * tries to open every link message. → {msg_id: {opened, found_in, files:
 * [{idx, sha256}]}}.
 */
export function operatorView(srv, smtp) {
  const tmp = mkdtempSync(join(tmpdir(), 'st-operator-'));
  try {
    const dump = {
      messages: query(srv.dir, 'SELECT id, rcpt_kind, link_stanza FROM messages'),
      message_keys: query(srv.dir, 'SELECT message_id, r_srv FROM message_keys'),
      files: query(srv.dir, 'SELECT message_id, idx, object_key FROM files WHERE done = 1').map((f) => ({
        message_id: f.message_id, idx: f.idx, path: blobPath(srv.dir, f.object_key),
      })),
      outbox: query(srv.dir, 'SELECT id, payload FROM outbox'),
    };
    writeFileSync(join(tmp, 'dump.json'), JSON.stringify(dump));
    writeFileSync(join(tmp, 'server.log'), srv.stderr());
    writeFileSync(join(tmp, 'database.bytes'), storedBytes(srv.dir));
    mkdirSync(join(tmp, 'mails'));
    (smtp?.messages ?? []).forEach((m, i) => writeFileSync(join(tmp, 'mails', `${i}.eml`), m.raw));
    const out = execFileSync('python3', [
      join(REPO, 'tests', 'tools', 'operator-open.py'), '--dump', join(tmp, 'dump.json'),
      '--secrets', join(srv.dir, 'secrets'), '--scan', srv.dir, '--scan', join(tmp, 'server.log'),
      '--scan', join(tmp, 'database.bytes'), ...storedFiles(srv.dir).flatMap((f) => ['--scan', f]),
      '--mails', join(tmp, 'mails'),
    ], { encoding: 'utf8', maxBuffer: 1 << 26 });
    return JSON.parse(out);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Where S (32 bytes) appears, in any encoding the product or a mail uses
 * (base64url, standard base64, hex, the 24 code words with any separator),
 * in everything the operator holds: each file under the data directory (the
 * database and its WAL, blobs, outbox folder, SMS log, secrets), the
 * database's bytes (a PostgreSQL dump on that engine), the server's log, and
 * each mail the SMTP server received, raw and decoded. → a list of places.
 */
export function secretLeaks(srv, smtp, S, words) {
  const needles = [
    S.toString('base64url'), S.toString('base64').replace(/=+$/, ''), S.toString('hex'),
  ].map((n) => Buffer.from(n));
  const wordsRe = new RegExp(words.join('[^a-z]{1,8}'), 'i');
  const places = [];
  const look = (where, buf) => {
    if (needles.some((n) => buf.includes(n)) || wordsRe.test(buf.toString('latin1'))) places.push(where);
  };
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else look(p, readFileSync(p));
    }
  };
  walk(srv.dir);
  look('database', storedBytes(srv.dir));
  for (const f of storedFiles(srv.dir)) look(f, readFileSync(f));
  look('server log', Buffer.from(srv.stderr()));
  for (const [i, m] of (smtp?.messages ?? []).entries()) {
    look(`mail ${i} raw`, Buffer.from(m.raw));
    look(`mail ${i} text`, Buffer.from(`${m.subject}\n${m.text ?? ''}\n${m.html || ''}`));
  }
  return places;
}
