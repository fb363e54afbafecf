// In-page STF1 benchmark: plaintext from a ReadableStream of 1 MiB chunks
// (one random buffer reused: the encrypt stream copies into its own record
// buffers), through the encrypt stream, ciphertext kept, then back through
// the decrypt stream, on the main thread. And the send pipeline's own upload
// Workers (web/src/send/worker.js, served as /worker.js, over lib/rpc.js as
// send/upload.js drives them): a File's ciphertext fetched in 16 MiB ranges
// (send.chunk_size), each range split at record boundaries over the Workers.
import { createDecryptStream, createEncryptStream, prepareFile } from '../../web/src/crypto/stream.js';
import { randomBytes } from '../../web/src/crypto/bytes.js';
import { HEADER_LEN, TAG_LEN, locateOffset } from '../../web/src/crypto/stf1.js';
import { connect } from '../../web/src/lib/rpc.js';
import { defaultPoolSize } from '../../web/src/send/upload.js';

const MiB = 1 << 20;
const CHUNK = 16 * MiB;
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

async function run({ mib }) {
  const total = mib * MiB;
  const K = randomBytes(32), msgId = randomBytes(16);
  const encOpts = { K, msgId, fileIndex: 0 }, decOpts = { K, msgId, fileIndex: 0 };
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
}

// The upload Workers: encrypt only (the download Worker decrypts from the
// network; bench/browser-pipelines times it end to end).
async function upload({ mib, workers }) {
  const chunk = randomBytes(MiB);
  const file = new File(Array.from({ length: mib }, () => chunk), 'bench.bin');
  const { fk, header } = await prepareFile({ K: randomBytes(32), msgId: randomBytes(16), fileIndex: 0 });
  const conns = Array.from({ length: workers }, () => connect(createWorker()));
  try {
    const [{ size }] = await Promise.all(conns.map((c) => c.call('open', { fid: 1, fk, header: header.slice().buffer, file })));
    const log2 = header[6], full = 2 ** log2 + TAG_LEN;
    let n = 0;
    const t0 = performance.now();
    for (let start = 0; start < size; start += CHUNK) {
      const end = Math.min(size, start + CHUNK);
      // As send/upload.js's parts(): the range's records in one contiguous group per Worker.
      const first = locateOffset(start, log2).record, last = locateOffset(end - 1, log2).record;
      const recs = last - first + 1, k = Math.min(workers, recs), jobs = [];
      for (let g = 0, from = start; g < k; g++) {
        const to = g === k - 1 ? end : Math.min(end, HEADER_LEN + (first + Math.ceil(((g + 1) * recs) / k)) * full);
        if (to > from) jobs.push(conns[g].call('range', { fid: 1, start: from, end: to }));
        from = to;
      }
      for (const { data } of await Promise.all(jobs)) for (const d of data) n += d.length;
    }
    const tEnc = performance.now() - t0;
    if (n !== size) throw new Error(`encrypted ${n} of ${size}`);
    return { encMiBs: mib / (tEnc / 1000), decMiBs: NaN };
  } finally {
    for (const c of conns) c.terminate();
  }
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

globalThis.benchEnvelope = { run, upload, raw, defaultPoolSize, hardwareConcurrency: navigator.hardwareConcurrency };
globalThis.benchReady = true;
