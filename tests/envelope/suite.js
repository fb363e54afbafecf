// Spec-derived checks of the STF1 file format (stf1, stream, pool) that need
// no vector files: layout, sizes, round trips in odd chunkings, resume, every
// reader error. Runs in node and Chromium.
import { makeSuite, assert } from './harness.js';
import { b64uDecode, b64uEncode } from '../../web/src/crypto/b64u.js';
import { concat, fromHex, randomBytes, toHex, utf8 } from '../../web/src/crypto/bytes.js';
import { raw, importAesKey } from '../../web/src/crypto/kdf.js';
import * as F from '../../web/src/crypto/stf1.js';
import * as S from '../../web/src/crypto/stream.js';

export const { cases, test } = makeSuite();

const pattern = (n) => { const b = new Uint8Array(n); for (let i = 0; i < n; i++) b[i] = (i * 31 + 7) & 255; return b; };
const K = fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
const MSG = fromHex('a0a1a2a3a4a5a6a7a8a9aaabacadaeaf');
const SALT = fromHex('b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf');
const enc = (p, o = {}, chunk) => S.encryptBytes(p, { K, msgId: MSG, fileIndex: 2, fileSalt: SALT, log2: 16, ...o }, chunk);
const dec = (c, o = {}, chunk) => S.decryptBytes(c, { K, msgId: MSG, fileIndex: 2, ...o }, chunk);

test('b64u: round trip, strictness', async () => {
  for (let n = 0; n < 40; n++) { const b = randomBytes(n); assert.bytes(b64uDecode(b64uEncode(b)), b); }
  assert.equal(b64uEncode(utf8('\xfb\xff')), 'w7vDvw');
  for (const bad of ['a', 'ab=', 'a+b/', 'AB', 'A B']) await assert.code(() => b64uDecode(bad), 'argument', bad);
});

test('header: layout and MAC as the spec lays them out', async () => {
  const P = pattern(5);
  const c = await enc(P);
  assert.equal(toHex(c.subarray(0, 8)), '5354463101011000');
  assert.bytes(c.subarray(8, 24), MSG); assert.equal(toHex(c.subarray(24, 28)), '00000002');
  assert.bytes(c.subarray(28, 60), SALT); assert.equal(toHex(c.subarray(60, 64)), '00000000');
  // header_mac and the record, recomputed from raw HKDF bytes with plain WebCrypto
  const hk = await crypto.subtle.importKey('raw', await raw.hk(K, MSG, 2, SALT), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  assert.bytes(new Uint8Array(await crypto.subtle.sign('HMAC', hk, c.subarray(0, 64))), c.subarray(64, 96), 'header_mac');
  const fk = await importAesKey(await raw.fk(K, MSG, 2, SALT));
  const iv = new Uint8Array(12); iv[11] = 1;
  const p = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: c.subarray(0, 96) }, fk, c.subarray(96)));
  assert.bytes(p, P);
});

test('nonce: uint88_be(i) ‖ last, counter limit', async () => {
  assert.equal(toHex(F.recordNonce(0, false)), '000000000000000000000000');
  assert.equal(toHex(F.recordNonce(0x01020304, true)), '000000000000000102030401');
  assert.equal(toHex(F.recordNonce(2 ** 32 - 1, false)), '00000000000000ffffffff00');
  await assert.code(() => F.recordNonce(2 ** 32, true), 'counter');
});

test('sizes: formula, inverse, refusals', async () => {
  const R = 2 ** 20;
  const cases = [[0, 112], [1, 113], [R - 1, 96 + R - 1 + 16], [R, 96 + R + 16], [R + 1, 96 + R + 1 + 32], [3 * R + 17, 96 + 3 * R + 17 + 64]];
  for (const [p, c] of cases) { assert.equal(F.ciphertextSize(p), c, `P=${p}`); assert.equal(F.plaintextSize(c), p, `C=${c}`); }
  for (let c = 0; c < 112; c++) await assert.code(() => F.plaintextSize(c), 'size', `C=${c}`);
  await assert.code(() => F.plaintextSize(96 + R + 16 + 16), 'size', 'empty second record');
  for (let c = 96 + R + 16 + 1; c <= 96 + R + 32; c++) await assert.code(() => F.plaintextSize(c), 'size');
  assert.equal(F.plaintextSize(96 + R + 16 + 17), R + 1);
  assert.equal(F.ciphertextSize(100e9), 96 + 100e9 + 16 * Math.ceil(100e9 / R));
  assert.equal(F.ciphertextSize(2n ** 40n), 96 + 2 ** 40 + 16 * 2 ** 20);
  await assert.code(() => F.ciphertextSize(Number.MAX_SAFE_INTEGER), 'size');
  await assert.code(() => F.ciphertextSize(2 ** 53 - 100, 22), 'size');
  await assert.code(() => F.ciphertextSize(-1), 'size');
  await assert.code(() => F.ciphertextSize(1.5), 'size');
  await assert.code(() => F.ciphertextSize(1, 23), 'record_size');
  // every P in a window around record boundaries round-trips, with log2=16
  for (let p = 0; p < 3 * 65536 + 40; p += (p % 65536 < 40 || p % 65536 > 65496) ? 1 : 997) assert.equal(F.plaintextSize(F.ciphertextSize(p, 16), 16), p);
});

test('stream: round trips over sizes and chunkings', async () => {
  const R = 65536;
  for (const n of [0, 1, 15, 16, 17, R - 1, R, R + 1, 2 * R, 3 * R + 17]) {
    const P = pattern(n);
    const c1 = await enc(P, {}, 1 << 20);
    assert.equal(c1.length, F.ciphertextSize(n, 16), `size ${n}`);
    for (const ch of [1 << 20, 4093, n <= 17 ? 1 : n > 70000 ? 65552 : 61]) {
      assert.bytes(await enc(P, {}, ch), c1, `deterministic n=${n} chunk=${ch}`);
      assert.bytes(await dec(c1, {}, ch), P, `decrypt n=${n} chunk=${ch}`);
    }
  }
});

test('stream: resume at any ciphertext offset gives identical bytes', async () => {
  const R = 65536, P = pattern(3 * R + 17);
  const full = await enc(P);
  for (const off of [0, 5, 96, 97, 96 + R + 16, 96 + R + 17, 96 + 2 * (R + 16) + 3, full.length - 1]) {
    const loc = F.locateOffset(off, 16);
    const part = await enc(P.subarray(loc.plaintextOffset), { startRecord: loc.record, skip: loc.skip });
    assert.bytes(part, full.subarray(off), `offset ${off}`);
  }
});

test('stream: decrypt from a record index with the header apart (Range)', async () => {
  const R = 65536, P = pattern(3 * R + 17);
  const c = await enc(P);
  const part = await dec(c.subarray(96 + 2 * (R + 16)), { header: c.subarray(0, 96), startRecord: 2 });
  assert.bytes(part, P.subarray(2 * R));
});

test('reader errors: header fields in the spec order', async () => {
  const c = await enc(pattern(100));
  const flip = (off, x = 1) => { const d = c.slice(); d[off] ^= x; return d; };
  await assert.code(dec(flip(0)), 'magic');
  await assert.code(dec(flip(4)), 'version');
  await assert.code(dec(flip(5)), 'suite');
  await assert.code(dec(flip(6, 0x20)), 'record_size');
  await assert.code(dec(flip(7)), 'flags');
  await assert.code(dec(flip(62)), 'reserved');
  for (const off of [8, 24, 27, 28, 59, 64, 95]) await assert.code(dec(flip(off)), 'header_mac', `offset ${off}`);
  // record_size 16 and 22 are accepted structurally (then fail the MAC)
  const d = c.slice(); d[6] = 22; await assert.code(dec(d), 'header_mac');
  await assert.code(dec(c.subarray(0, 3)), 'truncated');
  await assert.code(dec(c.subarray(0, 95)), 'truncated');
  await assert.code(dec(c.subarray(0, 96)), 'truncated');
});

test('reader errors: records', async () => {
  const R = 65536, P = pattern(2 * R + 5), c = await enc(P);
  const f = (off) => { const d = c.slice(); d[off] ^= 0x80; return d; };
  await assert.code(dec(f(96)), 'record_auth');
  await assert.code(dec(f(96 + R + 16 + 7)), 'record_auth');
  await assert.code(dec(f(c.length - 1)), 'record_auth');
  const sw = c.slice(); sw.set(c.subarray(96 + R + 16, 96 + 2 * (R + 16)), 96); sw.set(c.subarray(96, 96 + R + 16), 96 + R + 16);
  await assert.code(dec(sw), 'record_auth', 'swapped records');
  await assert.code(dec(c.subarray(0, 96 + R + 16)), 'truncated', 'cut at a record boundary');
  await assert.code(dec(c.subarray(0, 96 + 2 * (R + 16))), 'truncated', 'cut at the second boundary');
  await assert.code(dec(c.subarray(0, c.length - 1)), 'record_auth', 'cut inside the final record');
  await assert.code(dec(c.subarray(0, 96 + R + 16 + 5)), 'truncated', 'cut inside a tag');
  const full = await enc(pattern(2 * R));
  await assert.code(dec(concat(full, new Uint8Array([0]))), 'trailing', 'byte after a full final record');
  await assert.code(dec(concat(full, full.subarray(96))), 'trailing', 'records appended');
  // the header of the same file at another index or message fails the MAC
  await assert.code(dec(c, { fileIndex: 3 }), 'header_mac');
  await assert.code(dec(c, { msgId: new Uint8Array(16) }), 'header_mac');
  const other = await enc(P, { fileIndex: 3 });
  await assert.code(dec(concat(other.subarray(0, 96), c.subarray(96)), { fileIndex: 3 }), 'record_auth', 'foreign header');
  // no plaintext of a bad record is released, earlier verified records are
  const bad = f(96 + R + 16 + 1);
  const ts = S.createDecryptStream({ K, msgId: MSG, fileIndex: 2 });
  const got = []; let err = null;
  const rd = (async () => { const r = ts.readable.getReader(); try { for (;;) { const x = await r.read(); if (x.done) break; got.push(x.value); } } catch (e) { err = e; } })();
  const w = ts.writable.getWriter(); try { await w.write(bad); await w.close(); } catch { /* reported by reader */ }
  await rd;
  assert.equal(err && err.code, 'record_auth'); assert.equal(got.length, 1); assert.bytes(got[0], P.subarray(0, R));
});

test('reader errors: authentic records in the wrong place (key holder)', async () => {
  const R = 65536, { fk, header } = await S.prepareFile({ K, msgId: MSG, fileIndex: 2, fileSalt: SALT, log2: 16 });
  const gcm = async (i, p, last) => new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: F.recordNonce(i, last), additionalData: header }, fk, p));
  const r0 = await gcm(0, pattern(R), false);
  await assert.code(dec(concat(header, r0, await gcm(1, pattern(10), false))), 'short_record', 'short non-final record at EOF');
  await assert.code(dec(concat(header, r0, await gcm(1, new Uint8Array(0), true))), 'short_record', 'empty final record after record 0');
  await assert.code(dec(concat(header, await gcm(0, pattern(R), true), r0)), 'trailing', 'final record followed by a record');
});

test('record API: short_record, counter, empty final', async () => {
  const { fk, header } = await S.prepareFile({ K, msgId: MSG, fileIndex: 0, log2: 16 });
  await assert.code(F.decryptRecord(fk, header, 0, new Uint8Array(100), false), 'record_auth');
  await assert.code(F.decryptRecord(fk, header, 1, new Uint8Array(16), true), 'record_auth');
  const short = await F.encryptRecord(fk, header, 0, new Uint8Array(0), true);
  await assert.code(F.decryptRecord(fk, header, 0, short, false), 'record_auth');
  await assert.code(F.decryptRecord(fk, header, 0, new Uint8Array(5), true), 'truncated');
  await assert.code(F.encryptRecord(fk, header, 2 ** 32, new Uint8Array(1), true), 'counter');
  await assert.code(F.encryptRecord(fk, header, 0, new Uint8Array(5), false), 'argument');
  const c = await F.encryptRecord(fk, header, 7, pattern(65536), false);
  assert.bytes(await F.decryptRecord(fk, header, 7, c, false), pattern(65536));
  await assert.code(F.decryptRecord(fk, header, 7, c, true), 'record_auth');
  await assert.code(F.decryptRecord(fk, header, 8, c, false), 'record_auth');
});
