// The receive modules in node (no browser): archive entry names (Zip Slip,
// SECURITY.md §1.10) and the streaming decryption of web/src/receive/
// decrypt.js against objects the C envelope (stf1-tool) encrypted — served
// by a fake fetch that can cut the connection, answer Range requests, cut
// the object short, append bytes or flip one.
//
//   make BUILD=build-rcv build-rcv/tools/stf1-tool && ST_BUILD=build-rcv node --test tests/browser/receive-lib.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { archiveFileName, archiveNames, safeFileName } from '../../web/src/receive/names.js';
import { decryptedStream } from '../../web/src/receive/decrypt.js';
import { b64uEncode } from '../../web/src/crypto/b64u.js';
import { encrypt, pattern } from '../lib/send.mjs';

const MiB = 1 << 20;

test('safeFileName: basename only, no traversal, drive letters, controls, bidi or reserved names', () => {
  const cases = [
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\Windows\\system32\\evil.dll', 'evil.dll'],
    ['C:evil.txt', 'evil.txt'],
    ['C:\\Users\\x\\nota.pdf', 'nota.pdf'],
    ['/abs/path/brief.txt', 'brief.txt'],
    ['..', 'document'],
    ['.', 'document'],
    ['', 'document'],
    ['...hidden', 'hidden'],
    ['rapport\u202Efdp.exe', 'rapportfdp.exe'],
    ['a\u0000b\u001fc\u007f.txt', 'abc.txt'],
    ['zero\u200bwidth.pdf', 'zerowidth.pdf'],
    ['CON', '_CON'],
    ['nul.txt', '_nul.txt'],
    ['com1.pdf', '_com1.pdf'],
    ['LPT9', '_LPT9'],
    ['console.txt', 'console.txt'],
    ['what?<>|*".pdf', 'what______.pdf'],
    ['trailing. . ', 'trailing'],
    ['Cafe\u0301.txt', 'Café.txt'],
  ];
  for (const [raw, want] of cases) assert.equal(safeFileName(raw), want, JSON.stringify(raw));
  const long = safeFileName('é'.repeat(300) + '.pdf');
  assert.ok(Buffer.byteLength(long) <= 255 && long.endsWith('.pdf'));
});

test('archiveNames: equal names (also by case) made unique, never a path', () => {
  assert.deepEqual(archiveNames(['a.pdf', 'A.pdf', 'dir/a.pdf', '../a.pdf', 'b', 'b']), ['a.pdf', 'A (2).pdf', 'a (3).pdf', 'a (4).pdf', 'b', 'b (2)']);
  for (const n of archiveNames(['../../x', '/y', 'C:\\z', 'a/../../b'])) assert.ok(!/[\\/]|^\.\.?$|^[A-Za-z]:/.test(n), n);
  assert.equal(archiveFileName({ reference: 'KEN/2026', subject: 'x' }), '2026.zip');
  assert.equal(archiveFileName({ reference: '', subject: 'Stukken' }), 'Stukken.zip');
  assert.equal(archiveFileName({ reference: '', subject: '' }), 'documenten.zip');
});

// ---- decryption ----------------------------------------------------------------

async function fixture(size) {
  const msgId = b64uEncode(randomBytes(16));
  const plain = pattern(size, 5);
  const { ciphertext, key } = encrypt(plain, msgId, 0);
  const K = await crypto.subtle.importKey('raw', key, 'HKDF', false, ['deriveBits', 'deriveKey']);
  const file = { index: 0, size, header_sha256: b64uEncode(createHash('sha256').update(ciphertext.subarray(0, 96)).digest()) };
  return { msgId: Buffer.from(msgId, 'base64url'), plain, ciphertext, K, file };
}

/**
 * A fetch over `object`: Range support; cutAt: byte offsets (of the object)
 * at which successive connections break; log of requested ranges.
 */
function fakeFetch(object, { cutAt = [], log = [] } = {}) {
  const cuts = [...cutAt];
  return async (url, init = {}) => {
    const range = init.headers?.Range;
    const from = range ? Number(/bytes=(\d+)-/.exec(range)[1]) : 0;
    log.push(from);
    if (from >= object.length && range) return new Response('', { status: 416 });
    const cut = cuts.length && cuts[0] > from ? cuts.shift() : null;
    const end = cut ?? object.length;
    let pos = from;
    const body = new ReadableStream({
      pull(c) {
        if (pos >= end) {
          if (cut !== null) c.error(new TypeError('network error'));
          else c.close();
          return;
        }
        const n = Math.min(65536, end - pos);
        c.enqueue(new Uint8Array(object.subarray(pos, pos + n)));
        pos += n;
      },
    });
    const headers = range ? { 'Content-Range': `bytes ${from}-${object.length - 1}/${object.length}` } : {};
    return new Response(body, { status: range ? 206 : 200, headers });
  };
}

async function collect(stream) {
  const parts = [];
  const r = stream.getReader();
  for (;;) {
    const { done, value } = await r.read();
    if (done) break;
    parts.push(value);
  }
  return Buffer.concat(parts);
}

const run = (fx, fetchImpl, opts = {}) =>
  collect(decryptedStream({ K: fx.K, msgId: fx.msgId, file: fx.file, url: '/x', fetchImpl, retryDelays: [0, 0, 0], ...opts }));

test('decryptedStream: whole files of 0, 1, R-1, R, R+1 and 3R+17 bytes', async () => {
  for (const size of [0, 1, MiB - 1, MiB, MiB + 1, 3 * MiB + 17]) {
    const fx = await fixture(size);
    assert.ok((await run(fx, fakeFetch(fx.ciphertext))).equals(fx.plain), `size ${size}`);
  }
});

test('decryptedStream: a broken connection resumes with Range from the last verified record boundary', async () => {
  const fx = await fixture(4 * MiB + 3);
  const log = [];
  const rec = MiB + 16;
  const out = await run(fx, fakeFetch(fx.ciphertext, { cutAt: [50, 96 + rec + 1000, 96 + 3 * rec + 5], log }));
  assert.ok(out.equals(fx.plain));
  // Cut in the header → again from 0; inside record 1 → from record 1; inside record 3 → from record 3.
  assert.deepEqual(log, [0, 0, 96 + rec, 96 + 3 * rec]);
});

test('decryptedStream: flipped byte, truncation, trailing bytes, a header of another object all fail', async () => {
  const fx = await fixture(2 * MiB + 100);
  const codes = async (object, opts) => {
    try {
      await run(fx, fakeFetch(object), opts);
      return 'ok';
    } catch (e) {
      return e.code;
    }
  };
  const flipped = Buffer.from(fx.ciphertext);
  flipped[96 + MiB + 16 + 7] ^= 1;
  assert.equal(await codes(flipped), 'record_auth');
  assert.equal(await codes(fx.ciphertext.subarray(0, 96 + 2 * (MiB + 16))), 'truncated', 'cut at a record boundary');
  assert.equal(await codes(fx.ciphertext.subarray(0, fx.ciphertext.length - 5)), 'truncated', 'cut inside the last record');
  assert.equal(await codes(Buffer.concat([fx.ciphertext, Buffer.from([0])])), 'trailing');
  const header = Buffer.from(fx.ciphertext);
  header[40] ^= 1; // the salt: header hash and MAC both differ
  assert.equal(await codes(header), 'header_mac');
  const other = await fixture(10);
  assert.equal(await codes(other.ciphertext), 'header_mac', 'an object of another message');
  // The manifest's size decides where the final record is.
  assert.equal(await codes(fx.ciphertext, { file: { ...fx.file, size: fx.file.size - 1 } }), 'record_auth');
});
