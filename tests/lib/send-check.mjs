// End-to-end proof for browser sends, from outside the product: S from the
// recipient's link mail, R_srv and the link stanza from the database, K
// unwrapped in node with web/src/crypto, every stored object decrypted with
// the C envelope (stf1-tool) and compared with the original file.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unwrapLink } from '../../web/src/crypto/stanza.js';
import { openManifest } from '../../web/src/crypto/manifest.js';
import { waitForOutboxMail } from './api.mjs';
import { blobPath, query } from './db.mjs';
import { stf1Tool } from './send.mjs';

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
