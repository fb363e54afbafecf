// The key-transparency log's formats and proofs in the browser
// (docs/transparency.md): RFC 6962 hashing, RFC 9162 inclusion and
// consistency verification, the 120-byte leaf, and C2SP signed checkpoints
// with golang.org/x/mod/sumdb/note verifier keys. The same rules as the C
// code in src/tlog/, checked against the shared vectors in
// tests/vectors/tlog.json. WebCrypto only (SHA-256, Ed25519 verify); no
// secrets pass through here. Every failure throws TlogError with a stable
// `.code`.
import { b64uDecodeLen } from './b64u.js';
import { concat, u8 } from './bytes.js';

export const MAX_SIZE = 2 ** 48;
export const MAX_PROOF = 64;
export const LEAF_LEN = 120;
export const ADDRESS_LABEL = 'securetransfer/v1/kt-address';
export const EVENTS = Object.freeze({ 1: 'account', 2: 'reset', 3: 'mailbox', 4: 'existing', 5: 'changed' });

export class TlogError extends Error {
  constructor(code, detail) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'TlogError';
    this.code = code;
  }
}
const fail = (code, detail) => {
  throw new TlogError(code, detail);
};

const enc = new TextEncoder();
const subtle = globalThis.crypto.subtle;

export async function sha256(...parts) {
  return new Uint8Array(await subtle.digest('SHA-256', concat(...parts)));
}
export const leafHash = (leaf) => sha256(new Uint8Array([0]), leaf);
export const nodeHash = (l, r) => sha256(new Uint8Array([1]), l, r);
export const emptyRoot = () => sha256(new Uint8Array(0));
/** The leaf's address hash: SHA-256(label ‖ 0x00 ‖ address). */
export const addressHash = (address) => sha256(enc.encode(ADDRESS_LABEL), new Uint8Array([0]), enc.encode(address));
export const keyHash = (pk) => sha256(u8(pk));

function equal(a, b) {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}
export { equal as bytesEqual };

function checkSize(n, what) {
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_SIZE) fail('malformed', `${what} out of range`);
}
function checkProof(proof) {
  if (!Array.isArray(proof) || proof.length > MAX_PROOF) fail('malformed', 'proof');
  for (const p of proof) if (!(p instanceof Uint8Array) || p.length !== 32) fail('malformed', 'proof hash');
}

// Integer halving that stays exact above 2^31 (sizes go up to 2^48).
const half = (x) => Math.floor(x / 2);
function isPow2(x) {
  let p = 1;
  while (p < x) p *= 2;
  return p === x;
}
const odd = (x) => x % 2 === 1;

/** RFC 9162 §2.1.3.2. Resolves true or false; malformed input throws. */
export async function verifyInclusion(leafH, index, size, proof, root) {
  checkSize(size, 'size');
  checkSize(index, 'index');
  checkProof(proof);
  if (index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafH;
  for (const p of proof) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = await nodeHash(p, r);
      if (!odd(fn)) while (fn !== 0 && !odd(fn)) { fn = half(fn); sn = half(sn); }
    } else r = await nodeHash(r, p);
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equal(r, root);
}

/** RFC 9162 §2.1.4.2; equal sizes need equal roots (the split-view check). */
export async function verifyConsistency(size1, size2, root1, root2, proof) {
  checkSize(size1, 'size1');
  checkSize(size2, 'size2');
  checkProof(proof);
  if (size1 > size2) return false;
  if (size1 === size2) return proof.length === 0 && equal(root1, root2);
  if (size1 === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  // A first tree of 2^k leaves is a node of the second: the proof leaves out
  // its hash, which the verifier knows.
  let i = 0;
  const fr0 = isPow2(size1) ? root1 : proof[i++];
  let fr = fr0;
  let sr = fr;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (odd(fn)) { fn = half(fn); sn = half(sn); }
  for (; i < proof.length; i++) {
    const c = proof[i];
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      if (!odd(fn)) while (fn !== 0 && !odd(fn)) { fn = half(fn); sn = half(sn); }
    } else sr = await nodeHash(sr, c);
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equal(fr, root1) && equal(sr, root2);
}

/** Decodes a 120-byte leaf strictly (src/tlog/leaf.h). */
export function parseLeaf(bytes) {
  const b = u8(bytes);
  if (b.length !== LEAF_LEN) fail('malformed', 'leaf length');
  if (b[0] !== 0x53 || b[1] !== 0x54 || b[2] !== 0x4b || b[3] !== 0x54 || b[4] !== 1) fail('malformed', 'leaf magic');
  if (!EVENTS[b[5]] || b[6] !== 0 || b[7] !== 0) fail('malformed', 'leaf event');
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u64 = (o) => {
    const hi = dv.getUint32(o);
    const lo = dv.getUint32(o + 4);
    if (hi >= 2 ** 21) fail('malformed', 'leaf number above 2^53');
    return hi * 2 ** 32 + lo;
  };
  const epoch = u64(8);
  const time = u64(16);
  if (epoch === 0) fail('malformed', 'leaf epoch 0');
  return {
    event: EVENTS[b[5]],
    epoch,
    time,
    address: b.slice(24, 56),
    x25519: b.slice(56, 88),
    ed25519: b.slice(88, 120),
  };
}

// --- signed notes (c2sp.org/signed-note, c2sp.org/tlog-checkpoint) ---

const NAME_RE = /^[\x21-\x2a\x2c-\x7e]{1,128}$/; // printable ASCII, no space or '+'
const B64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function b64Std(s, len) {
  if (typeof s !== 'string' || !B64_RE.test(s)) fail('malformed', 'base64');
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  if (len !== undefined && out.length !== len) fail('malformed', 'base64 length');
  if (btoa(bin) !== s) fail('malformed', 'non-canonical base64');
  return out;
}

async function noteKeyHash(name, pk) {
  const h = await sha256(enc.encode(name + '\n'), new Uint8Array([1]), pk);
  return ((h[0] << 24) | (h[1] << 16) | (h[2] << 8) | h[3]) >>> 0;
}

/**
 * Parses a verifier key "<name>+<hash>+<base64(0x01 ‖ pk)>" and imports
 * the Ed25519 key: { name, hash, pk, key }.
 */
export async function parseVerifier(text) {
  const s = String(text).trim();
  const a = s.indexOf('+');
  const b = s.indexOf('+', a + 1);
  if (a < 1 || b !== a + 9) fail('malformed', 'verifier key');
  const name = s.slice(0, a);
  const hex = s.slice(a + 1, b);
  if (!NAME_RE.test(name) || !/^[0-9a-f]{8}$/.test(hex)) fail('malformed', 'verifier key');
  const raw = b64Std(s.slice(b + 1), 33);
  if (raw[0] !== 1) fail('malformed', 'verifier algorithm');
  const pk = raw.slice(1);
  const hash = parseInt(hex, 16) >>> 0;
  if (hash !== (await noteKeyHash(name, pk))) fail('malformed', 'verifier key hash');
  const key = await subtle.importKey('raw', pk, { name: 'Ed25519' }, false, ['verify']);
  return { name, hash, pk, key, text: s };
}

/**
 * Opens a signed checkpoint: a valid signature by the verifier (others
 * ignored), exactly three text lines (origin == key name, size, root).
 * Resolves { origin, size, root, note }; throws TlogError otherwise.
 */
export async function openCheckpoint(verifier, note) {
  if (typeof note !== 'string' || note.length < 2 || note.length > 4096 || !note.endsWith('\n'))
    fail('malformed', 'note');
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x09\x0b-\x1f]/.test(note)) fail('malformed', 'control character');
  const sep = note.lastIndexOf('\n\n');
  if (sep < 0) fail('malformed', 'no signatures');
  // The form of everything first, then the signatures (as the C code).
  const text = note.slice(0, sep + 1);
  const t = text.split('\n');
  if (t.length !== 4 || t[3] !== '' || !t[0] || !t[1] || !t[2]) fail('malformed', 'checkpoint lines');
  if (!NAME_RE.test(t[0])) fail('malformed', 'origin');
  if (!/^(0|[1-9][0-9]{0,14})$/.test(t[1])) fail('malformed', 'size');
  const size = Number(t[1]);
  checkSize(size, 'size');
  const root = b64Std(t[2], 32);
  const lines = note.slice(sep + 2, -1).split('\n');
  if (lines.length > 16) fail('malformed', 'signature lines');
  const sigs = lines.map((line) => {
    const m = /^\u2014 ([^ ]+) ([^ ]+)$/.exec(line);
    if (!m) fail('malformed', 'signature line');
    return { name: m[1], b64: m[2] };
  });
  let verified = false;
  const textBytes = enc.encode(text);
  for (const { name, b64 } of sigs) {
    if (name !== verifier.name) continue; // a witness, say
    let sig;
    try {
      sig = b64Std(b64, 68);
    } catch {
      let head;
      try {
        head = b64Std(b64);
      } catch {
        fail('malformed', 'signature');
      }
      if (head.length < 4) fail('malformed', 'signature');
      if (((head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3]) >>> 0 === verifier.hash)
        fail('bad_signature');
      continue;
    }
    if (((sig[0] << 24) | (sig[1] << 16) | (sig[2] << 8) | sig[3]) >>> 0 !== verifier.hash) continue;
    if (!(await subtle.verify({ name: 'Ed25519' }, verifier.key, sig.slice(4), textBytes))) fail('bad_signature');
    verified = true;
  }
  if (!verified) fail('unsigned');
  if (t[0] !== verifier.name) fail('wrong_origin');
  return { origin: t[0], size, root, note };
}

/** A b64u proof array from JSON into 32-byte hashes. */
export function proofFrom(list) {
  if (!Array.isArray(list) || list.length > MAX_PROOF) fail('malformed', 'proof');
  return list.map((h) => {
    try {
      return b64uDecodeLen(h, 32);
    } catch {
      return fail('malformed', 'proof hash');
    }
  });
}
