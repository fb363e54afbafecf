// Small byte helpers shared by the envelope modules. Everything works on
// Uint8Array; callers may pass ArrayBuffer or any ArrayBufferView.
import { fail } from './errors.js';

const enc = new TextEncoder();
const decStrict = new TextDecoder('utf-8', { fatal: true });

// View any binary input as a Uint8Array without copying.
export function u8(x) {
  if (x instanceof Uint8Array) return x;
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  if (ArrayBuffer.isView(x)) return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  return fail('argument', 'expected bytes');
}

export function concat(...parts) {
  let n = 0;
  for (const p of parts) n += u8(p).length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { const b = u8(p); out.set(b, o); o += b.length; }
  return out;
}

export function utf8(s) { return enc.encode(s); }

// Strict UTF-8 decode: invalid sequences throw instead of becoming U+FFFD.
export function fromUtf8(b) {
  try { return decStrict.decode(u8(b)); } catch { return fail('manifest_invalid', 'invalid UTF-8'); }
}

export function u32be(n) {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) fail('argument', 'u32 out of range');
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, false);
  return b;
}

export function readU32be(b, off) {
  const v = u8(b);
  return new DataView(v.buffer, v.byteOffset, v.byteLength).getUint32(off, false);
}

// Comparison without an early exit, for values derived from secrets. The
// header MAC itself is checked with crypto.subtle.verify (constant time).
export function equal(a, b) {
  a = u8(a); b = u8(b);
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

export function isZero(b) {
  let d = 0;
  for (const x of u8(b)) d |= x;
  return d === 0;
}

export function toHex(b) {
  let s = '';
  for (const x of u8(b)) s += x.toString(16).padStart(2, '0');
  return s;
}

export function fromHex(h) {
  if (typeof h !== 'string' || h.length % 2 || /[^0-9a-fA-F]/.test(h)) fail('argument', 'bad hex');
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.substr(2 * i, 2), 16);
  return out;
}

// Fresh random bytes from the platform CSPRNG (ASVS 6.3.1). getRandomValues
// caps one call at 65536 bytes, so larger requests are filled in pieces.
export function randomBytes(n) {
  const out = new Uint8Array(n);
  for (let o = 0; o < n; o += 65536) crypto.getRandomValues(out.subarray(o, Math.min(n, o + 65536)));
  return out;
}

// Copy into a fresh ArrayBuffer of exactly the view's length, e.g. before
// transferring it to a Worker or handing it to WebCrypto as a detached copy.
export function copyBuffer(b) {
  const v = u8(b);
  return v.slice().buffer;
}

export async function sha256(b) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', u8(b)));
}
