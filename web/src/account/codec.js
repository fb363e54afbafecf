// Byte helpers for the account keys: base64url without padding (the API's
// binary encoding) and RFC 4648 base32 for the recovery key. Pure; runs in the
// browser, in the Worker and in node. With floors.js the one part of account/
// both sides use: page/ is what pages run (client.js talks to the key Worker
// and the API), worker/ is the key Worker (worker.js and its ops).
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export class AccountKeyError extends Error {
  /** code: 'weak_kdf' | 'bad_recovery_key' | 'wrong_password' | 'key_changed' | 'argument' */
  constructor(code, message) {
    super(message || code);
    this.name = 'AccountKeyError';
    this.code = code;
  }
}

export const utf8 = (s) => new TextEncoder().encode(s);

export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function b64uEncode(bytes) {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let s = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i] << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    const chars = B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
    s += chars.slice(0, Math.min(4, b.length - i + 1));
  }
  return s;
}

/** Strict base64url decode; `len` (optional) is the required byte length. */
export function b64uDecode(s, len) {
  if (typeof s !== 'string' || s.length % 4 === 1 || !/^[A-Za-z0-9_-]*$/.test(s))
    throw new AccountKeyError('argument', 'bad base64url');
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (const c of s) {
    acc = ((acc << 6) | B64.indexOf(c)) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  if (len !== undefined && out.length !== len)
    throw new AccountKeyError('argument', `expected ${len} bytes, got ${out.length}`);
  return out;
}

/** 32 bytes -> 52 base32 characters (no padding) in groups of 4 joined by '-'. */
export function formatRecoveryKey(bytes) {
  if (bytes.length !== 32) throw new AccountKeyError('argument', 'recovery key must be 32 bytes');
  let s = '';
  let acc = 0;
  let bits = 0;
  for (const byte of bytes) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      s += B32[(acc >> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  if (bits) s += B32[(acc << (5 - bits)) & 31];
  return s.match(/.{1,4}/g).join('-');
}

/**
 * Parses a recovery key as typed: lower case, spaces and dashes allowed.
 * Throws AccountKeyError('bad_recovery_key') unless it is exactly 52 base32
 * characters whose 4 unused trailing bits are zero.
 */
export function parseRecoveryKey(text) {
  const s = String(text ?? '').toUpperCase().replace(/[\s-]+/g, '');
  if (s.length !== 52 || !/^[A-Z2-7]+$/.test(s)) throw new AccountKeyError('bad_recovery_key', 'not 52 base32 characters');
  const out = new Uint8Array(32);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (const c of s) {
    acc = (acc << 5) | B32.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
    acc &= (1 << bits) - 1;
  }
  if (acc !== 0) throw new AccountKeyError('bad_recovery_key', 'non-canonical base32');
  return out;
}

export function randomBytes(n) {
  return crypto.getRandomValues(new Uint8Array(n));
}
