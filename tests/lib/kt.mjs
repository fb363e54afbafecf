// The key-transparency log from the outside, for tests (docs/transparency.md):
// a log client as the browser runs it (web/src/account/page/transparency.js) but
// talking to a test server, and the moves of a malicious operator who holds
// the log key (the development key every test server signs with): rewrite
// or remove entries and sign a new head over the result. Never a hook in the
// product: these write the database directly, as such an operator would.
//
//   const lc = logClientFor(srv, client);      // client: tests/lib/api.mjs Client (or null)
//   await lc.checkServedKey(answer.recipient); // throws TransparencyError
//   rewriteLog(srv.dir, (leaves) => { leaves[3] = otherLeaf; return leaves; });
//   publishKey(srv.dir, 'bob@org.nl', { x25519_pk, ed25519_pk }); // a new leaf, properly signed
import { createHash, createPrivateKey, createPublicKey, randomBytes, sign } from 'node:crypto';
import { devLogKey } from './server.mjs';
import { exec, query } from './db.mjs';
import { createLogClient } from '../../web/src/account/page/transparency.js';
import { sealManifest, signManifest } from '../../web/src/crypto/manifest.js';
import { wrapX25519 } from '../../web/src/crypto/stanza.js';
import { Client } from './api.mjs';
import { createMessage, encrypt, tusUpload } from './send.mjs';

/** A log client of the test server srv, trusting the development log key. */
export function logClientFor(srv, client = null, { stores = [] } = {}) {
  const fetchJson = async (path) => {
    const r = client ? await client.get('/api/v1' + path) : await plainGet(srv.url + '/api/v1' + path);
    if (r.status !== 200) throw Object.assign(new Error(`GET ${path}: ${r.status} ${r.text}`), { status: r.status });
    return r.json;
  };
  return createLogClient({ verifierText: devLogKey().pub, fetchJson, stores });
}

async function plainGet(url) {
  const res = await fetch(url);
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, text, json };
}

/** A head store in memory (a second browser's localStorage, say). */
export function memoryStore(note = null) {
  return { get: () => note, put: (n) => (note = n), peek: () => note };
}

const sha = (...parts) => createHash('sha256').update(Buffer.concat(parts)).digest();
const leafHashOf = (raw) => sha(Buffer.from([0]), raw);
const nodeOf = (l, r) => sha(Buffer.from([1]), l, r);

/** Every complete subtree of the leaf hashes: Map(level << 48 | index → hash). */
function allNodes(hashes) {
  const nodes = new Map();
  let level = hashes.slice();
  for (let l = 0; level.length > 0; l++) {
    level.forEach((h, i) => nodes.set(BigInt(l) * 2n ** 48n + BigInt(i), h));
    const up = [];
    for (let i = 0; i + 1 < level.length; i += 2) up.push(nodeOf(level[i], level[i + 1]));
    level = up;
  }
  return nodes;
}

function mth(hashes) {
  if (hashes.length === 0) return sha();
  if (hashes.length === 1) return hashes[0];
  let k = 1;
  while (k < hashes.length - k) k *= 2;
  return nodeOf(mth(hashes.slice(0, k)), mth(hashes.slice(k)));
}

/** The signed checkpoint of (size, root) under the development log key. */
export function signHead(size, root) {
  const { key } = devLogKey();
  const [, name, hash, b64] = /^PRIVATE\+KEY\+([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(key);
  const seed = Buffer.from(b64, 'base64').subarray(1);
  const priv = createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const text = `${name}\n${size}\n${root.toString('base64')}\n`;
  const sig = Buffer.concat([Buffer.from(hash, 'hex'), sign(null, Buffer.from(text), priv)]);
  return `${text}\n\u2014 ${name} ${sig.toString('base64')}\n`;
}

/** The leaves of the log in srv's folder, oldest first (b64u). */
export function logLeaves(dir) {
  return query(dir, 'SELECT idx, leaf, addr_hash FROM kt_leaves ORDER BY idx').map((r) => r.leaf);
}

/** The signed head row. */
export function logHead(dir) {
  return query(dir, 'SELECT size, root, checkpoint FROM kt_head WHERE id = 1')[0];
}

/**
 * The malicious operator: replaces the whole log by mutate(leaves) (an array
 * of b64u leaves), rebuilds every stored node and signs a head over it with
 * the log key. Returns the new checkpoint.
 */
export function rewriteLog(dir, mutate) {
  const leaves = mutate(logLeaves(dir).slice());
  const raws = leaves.map((l) => Buffer.from(l, 'base64url'));
  const hashes = raws.map(leafHashOf);
  const root = mth(hashes);
  const note = signHead(leaves.length, root);
  const q = (s) => `'${String(s).replace(/'/g, "''")}'`;
  const stmts = ['BEGIN', 'DELETE FROM kt_leaves', 'DELETE FROM kt_nodes'];
  raws.forEach((raw, i) => {
    const addr = raw.subarray(24, 56).toString('base64url');
    stmts.push(`INSERT INTO kt_leaves (idx, addr_hash, leaf, created_at) VALUES (${i}, ${q(addr)}, ${q(leaves[i])}, 0)`);
  });
  for (const [id, h] of allNodes(hashes)) stmts.push(`INSERT INTO kt_nodes (id, hash) VALUES (${id}, ${q(h.toString('base64url'))})`);
  stmts.push(
    `UPDATE kt_head SET size = ${leaves.length}, root = ${q(root.toString('base64url'))}, checkpoint = ${q(note)} WHERE id = 1`,
    'COMMIT',
  );
  exec(dir, stmts.join(';\n') + ';');
  return note;
}

/**
 * The malicious operator with the log key publishes keys for an address
 * properly: a new leaf (event 5 `changed`, the address's next epoch) at the
 * end of the log and a head signed over it, so the log stays append-only
 * and consistent with every head a client saw. A key swapped in the
 * database AND logged so passes every log check: only the pins (tier 1) or
 * the owner's self-monitoring can catch it. keys: {x25519_pk, ed25519_pk}
 * b64u. Returns the new leaf's index.
 */
export function publishKey(dir, email, { x25519_pk, ed25519_pk }) {
  const addr = sha(Buffer.from('securetransfer/v1/kt-address\0'), Buffer.from(email));
  const epochs = query(dir, 'SELECT leaf FROM kt_leaves WHERE addr_hash = ?', [addr.toString('base64url')])
    .map((r) => Buffer.from(r.leaf, 'base64url').readBigUInt64BE(8));
  const leaf = Buffer.alloc(120);
  leaf.write('STKT', 0, 'latin1');
  leaf[4] = 1;
  leaf[5] = 5;
  leaf.writeBigUInt64BE(epochs.reduce((a, b) => (b > a ? b : a), 0n) + 1n, 8);
  leaf.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000)), 16);
  addr.copy(leaf, 24);
  sha(Buffer.from(x25519_pk, 'base64url')).copy(leaf, 56);
  sha(Buffer.from(ed25519_pk, 'base64url')).copy(leaf, 88);
  let index;
  rewriteLog(dir, (l) => {
    index = l.length;
    return [...l, leaf.toString('base64url')];
  });
  return index;
}

/** A leaf b64u with its x25519 key hash replaced by SHA-256(pk). */
export function leafWithKey(leafB64, x25519PkB64) {
  const raw = Buffer.from(leafB64, 'base64url');
  sha(Buffer.from(x25519PkB64, 'base64url')).copy(raw, 56);
  return raw.toString('base64url');
}

/**
 * The malicious server forges a message "from" the account from ({email,
 * authKey}) to the account `to`: a manifest signed with an Ed25519 key of
 * its own, K wrapped to to's real key, and from's published signing key
 * swapped for its own in the database (restore() puts the real one back).
 * Without key transparency a recipient's client accepts it: the signature
 * verifies against the key the server hands out. Resolves { msgId, restore }.
 */
export async function forgeMessage(srv, from, to, { subject = 'Factuur', name = 'factuur.txt', text = 'Betaal op NL00 EVIL 0000 0000 00.' } = {}) {
  const c = new Client(srv.url);
  await c.init();
  const li = await c.post('/api/v1/login', { email: from.email, auth_key: from.authKey });
  if (li.status !== 200) throw new Error(`login ${from.email}: ${li.status}`);
  c.csrf = li.json.csrf;
  const rcpt = query(srv.dir, 'SELECT x25519_pk, key_id FROM users WHERE email = ?', [to])[0];
  const plain = Buffer.from(text);
  const r = await createMessage(c, [{ name, size: plain.length }], { recipient: { email: to, name: 'Ontvanger' }, subject, reference: '' });
  if (r.status !== 201) throw new Error(`create: ${r.status} ${r.text}`);
  const m = r.json;
  const id = Buffer.from(m.id, 'base64url');
  const e = encrypt(plain, m.id, 0);
  await tusUpload(c, m.files[0].id, e.ciphertext);
  const seed = randomBytes(32);
  const priv = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
  const evil = createPublicKey(priv).export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64url');
  const manifest = await signManifest({
    v: 1, msg_id: m.id, created_at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    sender: { kind: 'account', user_id: li.json.user.id, address: from.email, sign_pk: evil },
    recipient: { address: to, key_id: rcpt.key_id }, subject, reference: '', text: '',
    files: [{ index: 0, name, size: plain.length, mime: 'text/plain',
      header_sha256: createHash('sha256').update(e.ciphertext.subarray(0, 96)).digest('base64url') }],
  }, seed);
  const body = {
    manifest: Buffer.from(await sealManifest({ manifest, K: e.key, msgId: id })).toString('base64url'),
    self_stanza: randomBytes(80).toString('base64url'),
    recipient_stanza: Buffer.from(await wrapX25519({ K: e.key, pkR: Buffer.from(rcpt.x25519_pk, 'base64url'), msgId: id })).toString('base64url'),
  };
  const sent = await c.post(`/api/v1/messages/${m.id}/send`, body);
  if (sent.status !== 200) throw new Error(`send: ${sent.status} ${sent.text}`);
  const real = query(srv.dir, 'SELECT ed25519_pk FROM users WHERE email = ?', [from.email])[0].ed25519_pk;
  exec(srv.dir, `UPDATE users SET ed25519_pk = '${evil}' WHERE email = '${from.email}'`);
  return { msgId: m.id, restore: () => exec(srv.dir, `UPDATE users SET ed25519_pk = '${real}' WHERE email = '${from.email}'`) };
}

/** RFC 6962 PATH(m, D[n]): the inclusion proof of leaf m among the leaf hashes. */
function inclusionPath(m, hashes) {
  if (hashes.length <= 1) return [];
  let k = 1;
  while (k < hashes.length - k) k *= 2;
  return m < k ? [...inclusionPath(m, hashes.slice(0, k)), mth(hashes.slice(k))] : [...inclusionPath(m - k, hashes.slice(k)), mth(hashes.slice(0, k))];
}

/** RFC 6962 SUBPROOF(m, D[n], b): the consistency proof from size m. */
function subproof(m, hashes, whole) {
  if (m === hashes.length) return whole ? [] : [mth(hashes)];
  let k = 1;
  while (k < hashes.length - k) k *= 2;
  return m <= k ? [...subproof(m, hashes.slice(0, k), whole), mth(hashes.slice(k))] : [...subproof(m - k, hashes.slice(k), false), mth(hashes.slice(0, k))];
}

/**
 * A key-transparency log in memory, signed with the development log key,
 * for tests of the browser's key gate as plain modules (no server): append()
 * logs keys as the server would and gives the `log` member of an answer
 * that serves them; client is a log client of transparency.js that fetches
 * its consistency proofs from this log.
 *
 *   const L = memoryLog();
 *   const served = { email, key_id, x25519_pk, ed25519_pk, log: L.append(email, x25519_pk, ed25519_pk) };
 *   await trustKey(served, { purpose: 'send', log: L.client, store });
 */
export function memoryLog() {
  const hashes = [];
  const epochs = new Map();
  const fetchJson = async (path) => {
    const q = /^\/log\/consistency\?from=(\d+)&to=(\d+)$/.exec(path);
    if (!q) throw Object.assign(new Error(`memory log: ${path}`), { status: 404 });
    const [from, to] = [Number(q[1]), Number(q[2])];
    if (to > hashes.length || from > to) throw Object.assign(new Error('bad sizes'), { status: 400 });
    const proof = from === 0 || from === to ? [] : subproof(from, hashes.slice(0, to), true);
    return { from, to, proof: proof.map((h) => h.toString('base64url')) };
  };
  return {
    client: createLogClient({ verifierText: devLogKey().pub, fetchJson, stores: [] }),
    /** Logs email's keys (b64u) and returns the log member for them. */
    append(email, x25519Pk, ed25519Pk) {
      const epoch = (epochs.get(email) ?? 0n) + 1n;
      epochs.set(email, epoch);
      const leaf = Buffer.alloc(120);
      leaf.write('STKT', 0, 'latin1');
      leaf[4] = 1;
      leaf[5] = epoch === 1n ? 1 : 5;
      leaf.writeBigUInt64BE(epoch, 8);
      leaf.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000)), 16);
      sha(Buffer.from('securetransfer/v1/kt-address\0'), Buffer.from(email)).copy(leaf, 24);
      sha(Buffer.from(x25519Pk, 'base64url')).copy(leaf, 56);
      sha(Buffer.from(ed25519Pk, 'base64url')).copy(leaf, 88);
      const index = hashes.length;
      hashes.push(leafHashOf(leaf));
      return {
        index,
        leaf: leaf.toString('base64url'),
        proof: inclusionPath(index, hashes).map((h) => h.toString('base64url')),
        checkpoint: signHead(hashes.length, mth(hashes)),
      };
    },
  };
}
