// The app's upload Worker (web/src/send/worker.js) over the one Worker channel
// (web/src/lib/rpc.js), as real module Workers in Chromium: served as
// /worker.js by serve.js. Replaces the crypto-Worker pool cases (that Worker
// was used by the benchmark only and is gone): the ciphertext the upload
// Workers hand out, range by range and spread over several Workers, is the
// reference stream byte for byte, buffers are moved, and errors cross the
// boundary with their codes.
import { assert, makeSuite } from './harness.js';
import { concat, fromHex } from '../../web/src/crypto/bytes.js';
import * as S from '../../web/src/crypto/stream.js';
import { connect } from '../../web/src/lib/rpc.js';

const pattern = (n) => { const b = new Uint8Array(n); for (let i = 0; i < n; i++) b[i] = (i * 31 + 7) & 255; return b; };
const K = fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
const MSG = fromHex('a0a1a2a3a4a5a6a7a8a9aaabacadaeaf');
const SALT = fromHex('b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf');

export function workerCases(createWorker) {
  const { cases, test } = makeSuite();
  test('upload Workers over rpc.js: ranges over 1, 2, 4 Workers are the reference ciphertext; errors keep their codes', async () => {
    const R = 65536, P = pattern(5 * R + 3);
    const ref = await S.encryptBytes(P, { K, msgId: MSG, fileIndex: 2, fileSalt: SALT, log2: 16 });
    const { fk, header } = await S.prepareFile({ K, msgId: MSG, fileIndex: 2, fileSalt: SALT, log2: 16 });
    const file = new File([P], 'p.bin');
    for (const size of [1, 2, 4]) {
      const conns = Array.from({ length: size }, () => connect(createWorker()));
      try {
        const opened = await Promise.all(conns.map((c) => c.call('open', { fid: 7, fk, header: header.slice().buffer, file })));
        for (const o of opened) assert.equal(o.size, ref.length, `size with ${size}`);
        // Uneven ranges that cut records and the header, round robin over the Workers.
        const cuts = [0, 50, 96 + R + 5, 3 * R, ref.length - 17, ref.length];
        const parts = [];
        for (let k = 0; k + 1 < cuts.length; k++) {
          const { data } = await conns[k % size].call('range', { fid: 7, start: cuts[k], end: cuts[k + 1] });
          parts.push(...data);
        }
        assert.bytes(concat(...parts), ref, `ciphertext with ${size} Worker(s)`);
        await assert.code(conns[0].call('range', { fid: 7, start: 0, end: ref.length + 1 }), 'argument', 'range past the end');
        await assert.code(conns[0].call('range', { fid: 8, start: 0, end: 1 }), 'argument', 'unknown file');
        await assert.code(conns[0].call('nonsense', {}), 'argument', 'unknown method');
        await conns[0].call('close', { fid: 7 });
        await assert.code(conns[0].call('range', { fid: 7, start: 0, end: 1 }), 'argument', 'closed file');
      } finally {
        for (const c of conns) c.terminate();
      }
    }
  });
  test('rpc.js: calls open when a Worker is terminated reject with the given code', async () => {
    const c = connect(createWorker());
    const p = c.call('range', { fid: 1, start: 0, end: 1 });
    c.terminate('locked', 'locked');
    await assert.code(p, 'locked');
  });
  return cases;
}
