// STF1 file object: header, sizes, record nonces and single-record AEAD
// (format-stf1.md §2, SECURITY.md §1.3). Streaming lives in stream.js; this
// module is the byte-exact core both the streams and the Worker use.
import { concat, equal, u8, u32be, readU32be } from './bytes.js';
import { fail } from './errors.js';
import { checkRecordSizeLog2 } from './floors.js';

export const MAGIC = Object.freeze([0x53, 0x54, 0x46, 0x31]); // "STF1"
export const VERSION = 1;
export const SUITE = 1;
export const DEFAULT_LOG2 = 20;
export const HEADER_LEN = 96;
export const TAG_LEN = 16;
export const MAX_RECORDS = 2 ** 32; // i ≥ 2^32 is error "counter"

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

// ---- header ---------------------------------------------------------------

// The 64 MAC'd bytes; header_mac is appended by buildHeader.
export function headerPrefix({ msgId, fileIndex, fileSalt, log2 = DEFAULT_LOG2 }) {
  checkRecordSizeLog2(log2);
  const m = u8(msgId), s = u8(fileSalt);
  if (m.length !== 16) fail('argument', 'msg_id must be 16 bytes');
  if (s.length !== 32) fail('argument', 'file_salt must be 32 bytes');
  const fixed = new Uint8Array([...MAGIC, VERSION, SUITE, log2, 0]);
  return concat(fixed, m, u32be(fileIndex), s, new Uint8Array(4));
}

// hk: the HMAC CryptoKey HK_j from kdf.deriveFileKeys.
export async function buildHeader(hk, fields) {
  const pre = headerPrefix(fields);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', hk, pre));
  return concat(pre, mac);
}

// Structural checks in the spec's order, each with its own code. Does not
// verify the MAC (that needs the key; see verifyHeader).
export function parseHeader(bytes) {
  const h = u8(bytes);
  // As the C reader: a short header is "truncated" whatever its first bytes.
  if (h.length < HEADER_LEN) fail('truncated', 'header shorter than 96 bytes');
  for (let i = 0; i < 4; i++) if (h[i] !== MAGIC[i]) fail('magic');
  if (h[4] !== VERSION) fail('version');
  if (h[5] !== SUITE) fail('suite');
  if (h[6] < 16 || h[6] > 22) fail('record_size');
  if (h[7] !== 0) fail('flags');
  if (readU32be(h, 60) !== 0) fail('reserved');
  return {
    version: h[4], suite: h[5], log2: h[6], flags: h[7],
    msgId: h.slice(8, 24), fileIndex: readU32be(h, 24), fileSalt: h.slice(28, 60),
    mac: h.slice(64, 96), header: h.slice(0, HEADER_LEN),
  };
}

// HMAC verification through crypto.subtle.verify, which compares in constant
// time. Must pass before any record is decrypted.
export async function verifyHeader(header, hk) {
  const h = u8(header);
  const ok = await crypto.subtle.verify('HMAC', hk, h.subarray(64, 96), h.subarray(0, 64));
  if (!ok) fail('header_mac');
}

// Reader-side binding: the header must name the file the caller expects.
// Keys are derived from the expected ids, so a header for another file or
// message already fails the MAC; this only turns a mismatch into the same code
// early and independently of the MAC.
export function checkHeaderIds(parsed, msgId, fileIndex) {
  if (msgId !== undefined && !equal(parsed.msgId, msgId)) fail('header_mac', 'msg_id mismatch');
  if (fileIndex !== undefined && parsed.fileIndex !== fileIndex) fail('header_mac', 'file_index mismatch');
}

// ---- sizes ----------------------------------------------------------------

function big(x, what) {
  if (typeof x === 'bigint') { if (x < 0n) fail('size', `${what} negative`); return x; }
  if (!Number.isSafeInteger(x) || x < 0) fail('size', `${what} must be a non-negative safe integer`);
  return BigInt(x);
}

function recordBig(log2) { checkRecordSizeLog2(log2); return 1n << BigInt(log2); }

// Number of records for P plaintext bytes: max(1, ceil(P/R)).
export function recordCount(P, log2 = DEFAULT_LOG2) {
  const R = recordBig(log2), p = big(P, 'plaintext size');
  const n = p === 0n ? 1n : (p + R - 1n) / R;
  if (n > BigInt(MAX_RECORDS)) fail('size', 'more than 2^32 records');
  return Number(n);
}

// 96 + P + 16·max(1, ceil(P/R)), exact (BigInt), refused above 2^53−1 so the
// result is always a safe JS number.
export function ciphertextSize(P, log2 = DEFAULT_LOG2) {
  const n = BigInt(recordCount(P, log2));
  const c = BigInt(HEADER_LEN) + big(P, 'plaintext size') + BigInt(TAG_LEN) * n;
  if (c > MAX_SAFE) fail('size', 'ciphertext size above 2^53-1');
  return Number(c);
}

// Inverse of ciphertextSize; refuses sizes no plaintext produces (e.g. 97..111).
export function plaintextSize(C, log2 = DEFAULT_LOG2) {
  const R = recordBig(log2), c = big(C, 'ciphertext size');
  const body = c - BigInt(HEADER_LEN);
  if (body < BigInt(TAG_LEN)) fail('size', 'no plaintext has this ciphertext size');
  const full = R + BigInt(TAG_LEN);
  const n = (body + full - 1n) / full;
  const p = body - BigInt(TAG_LEN) * n;
  if (p < 0n || n > BigInt(MAX_RECORDS) || BigInt(ciphertextSize(p, log2)) !== c) fail('size', 'no plaintext has this ciphertext size');
  return Number(p);
}

// Where a ciphertext byte offset (a tus Upload-Offset) falls: the record to
// restart encryption at, the plaintext offset of that record, and how many of
// the re-encrypted output bytes (header included when record is 0) to drop.
// Records are deterministic (§1.9), so resuming mid-record is safe.
export function locateOffset(offset, log2 = DEFAULT_LOG2) {
  const o = big(offset, 'offset');
  const R = recordBig(log2), full = R + BigInt(TAG_LEN), H = BigInt(HEADER_LEN);
  if (o < H + full) return { record: 0, plaintextOffset: 0, skip: Number(o), withHeader: true };
  const rec = (o - H) / full;
  return { record: Number(rec), plaintextOffset: Number(rec * R), skip: Number(o - H - rec * full), withHeader: false };
}

// ---- records --------------------------------------------------------------

// nonce_i = uint88_be(i) ‖ last. i < 2^32, so bytes 0..6 are always zero.
export function recordNonce(i, last) {
  if (!Number.isInteger(i) || i < 0) fail('argument', 'record index');
  if (i >= MAX_RECORDS) fail('counter');
  const n = new Uint8Array(12);
  new DataView(n.buffer).setUint32(7, i, false);
  n[11] = last ? 1 : 0;
  return n;
}

function recordLen(header) {
  const h = u8(header);
  if (h.length !== HEADER_LEN) fail('argument', 'aad must be the 96-byte header');
  return 2 ** h[6];
}

// C_i = AES-256-GCM(FK, nonce_i, aad = header, P_i). Refuses records a
// conforming writer never makes, so a caller bug cannot produce a file that a
// reader would reject.
export async function encryptRecord(fk, header, i, plaintext, last) {
  const R = recordLen(header), p = u8(plaintext);
  if (last ? p.length > R || (p.length === 0 && i !== 0) : p.length !== R) fail('argument', 'record length');
  const iv = recordNonce(i, last);
  const c = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: u8(header), tagLength: 128 }, fk, p);
  return new Uint8Array(c);
}

// Decrypts one record; plaintext is only returned after the tag verified.
// The length rules are checked after the tag, so a failure is record_auth
// exactly when the C reader says so; short_record then means an authentic
// record in a place where it may not be (only a key holder can make one).
export async function decryptRecord(fk, header, i, ciphertext, last) {
  const R = recordLen(header), c = u8(ciphertext);
  if (c.length > R + TAG_LEN) fail('argument', 'record longer than R+16');
  if (c.length < TAG_LEN) fail('truncated', 'record shorter than its tag');
  const iv = recordNonce(i, last);
  let p;
  try {
    p = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: u8(header), tagLength: 128 }, fk, c));
  } catch {
    return fail('record_auth', `record ${i}`);
  }
  if (!last && c.length !== R + TAG_LEN) fail('short_record', `record ${i}`);
  // Spec §2: a final record is empty only for an empty file (record 0).
  if (last && p.length === 0 && i !== 0) fail('short_record', `empty final record ${i}`);
  return p;
}
