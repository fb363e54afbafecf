// base64url without padding (RFC 4648 §5), strict: no padding, no whitespace,
// no characters outside the url alphabet, and unused trailing bits must be
// zero, so every byte string has exactly one accepted text form (ids are
// compared as text on the server).
import { fail } from './errors.js';
import { u8 } from './bytes.js';

const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const REV = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) REV[ALPHA.charCodeAt(i)] = i;

export function b64uEncode(bytes) {
  const b = u8(bytes);
  let s = '';
  let i = 0;
  for (; i + 3 <= b.length; i += 3) {
    const n = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
    s += ALPHA[n >> 18] + ALPHA[(n >> 12) & 63] + ALPHA[(n >> 6) & 63] + ALPHA[n & 63];
  }
  const r = b.length - i;
  if (r === 1) {
    const n = b[i] << 16;
    s += ALPHA[n >> 18] + ALPHA[(n >> 12) & 63];
  } else if (r === 2) {
    const n = (b[i] << 16) | (b[i + 1] << 8);
    s += ALPHA[n >> 18] + ALPHA[(n >> 12) & 63] + ALPHA[(n >> 6) & 63];
  }
  return s;
}

// `code` lets callers report a decoding failure under their own error name
// (a malformed id inside a manifest is manifest_invalid, not a bad argument).
export function b64uDecode(s, code = 'argument') {
  if (typeof s !== 'string' || s.length % 4 === 1) fail(code, 'bad base64url length');
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let acc = 0, bits = 0, o = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? REV[c] : -1;
    if (v < 0) fail(code, 'bad base64url character');
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) { bits -= 8; out[o++] = (acc >> bits) & 0xff; }
  }
  if (bits && (acc & ((1 << bits) - 1))) fail(code, 'non-canonical base64url');
  return out;
}

// Decode and require an exact length (ids 16, keys 32, signatures 64).
export function b64uDecodeLen(s, len, code = 'argument') {
  const b = b64uDecode(s, code);
  if (b.length !== len) fail(code, `expected ${len} bytes`);
  return b;
}
