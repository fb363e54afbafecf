// In-page STF1 benchmark: plaintext from a ReadableStream of 1 MiB chunks
// (one random buffer reused: the encrypt stream copies into its own record
// buffers), through the encrypt stream, ciphertext kept, then back through
// the decrypt stream. Cipher: local (main thread), a pool of 1 Worker, or
// the default pool.
import { CryptoPool, defaultPoolSize } from '../../web/src/crypto/pool.js';
import { createDecryptStream, createEncryptStream } from '../../web/src/crypto/stream.js';
import { randomBytes } from '../../web/src/crypto/bytes.js';

const MiB = 1 << 20;
const createWorker = () => new Worker('/worker.js', { type: 'module' });

function source(total, chunk) {
  const buf = randomBytes(chunk);
  let sent = 0;
  return new ReadableStream({
    pull(c) {
      if (sent >= total) { c.close(); return; }
      const n = Math.min(chunk, total - sent);
      c.enqueue(buf.subarray(0, n)); sent += n;
    },
  }, { highWaterMark: 4 });
}

function arraySource(parts) {
  let i = 0;
  return new ReadableStream({ pull(c) { if (i < parts.length) c.enqueue(parts[i++]); else c.close(); } });
}

async function drain(rs, keep) {
  const out = [];
  let n = 0;
  const r = rs.getReader();
  for (;;) { const { done, value } = await r.read(); if (done) break; n += value.length; if (keep) out.push(value); }
  return { n, out };
}

async function run({ mib, workers }) {
  const total = mib * MiB;
  const K = randomBytes(32), msgId = randomBytes(16);
  let pool = null, encOpts, decOpts;
  if (workers === 0) { encOpts = { K, msgId, fileIndex: 0 }; decOpts = { K, msgId, fileIndex: 0 }; }
  else {
    pool = new CryptoPool({ createWorker, size: workers });
    const f = await pool.prepareFile({ K, msgId, fileIndex: 0 });
    encOpts = { header: f.header, cipher: f.cipher };
    decOpts = { open: (h) => pool.openFile({ K, msgId, fileIndex: 0, header: h }) };
  }
  try {
    const t0 = performance.now();
    const enc = await drain(source(total, MiB).pipeThrough(createEncryptStream(encOpts)), true);
    const tEnc = performance.now() - t0;
    // ciphertext arrives in network-like 256 KiB pieces
    const pieces = [];
    for (const c of enc.out) for (let o = 0; o < c.length; o += 256 * 1024) pieces.push(c.subarray(o, Math.min(c.length, o + 256 * 1024)));
    const t1 = performance.now();
    const dec = await drain(arraySource(pieces).pipeThrough(createDecryptStream(decOpts)), false);
    const tDec = performance.now() - t1;
    if (dec.n !== total) throw new Error(`decrypted ${dec.n} of ${total}`);
    return { encMiBs: mib / (tEnc / 1000), decMiBs: mib / (tDec / 1000) };
  } finally { if (pool) pool.terminate(); }
}

async function raw({ mib, workers }) {
  const per = Math.ceil(mib / workers);
  const ws = Array.from({ length: workers }, () => new Worker('/rawworker.js'));
  const t0 = performance.now();
  const res = await Promise.all(ws.map((w) => new Promise((resolve) => { w.onmessage = (e) => resolve(e.data); w.postMessage({ records: per, size: MiB }); })));
  ws.forEach((w) => w.terminate());
  const tEnc = Math.max(...res.map((r) => r.tEnc)), tDec = Math.max(...res.map((r) => r.tDec));
  return { encMiBs: (per * workers) / (tEnc / 1000), decMiBs: (per * workers) / (tDec / 1000), wall: performance.now() - t0 };
}

globalThis.benchEnvelope = { run, raw, defaultPoolSize, hardwareConcurrency: navigator.hardwareConcurrency };
globalThis.benchReady = true;
