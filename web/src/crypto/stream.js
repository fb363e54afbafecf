// Streaming STF1 (format-stf1.md §2) as WHATWG TransformStreams, so uploads
// and downloads can pipe File.stream() / fetch bodies through them in bounded
// memory. The record work is done by a "cipher" — {encrypt, decrypt,
// parallelism} — either localCipher() (this thread) or pool.js (Workers); the
// stream keeps up to `parallelism` records in flight and emits in order.
import { concat, randomBytes, u8 } from './bytes.js';
import { EnvelopeError, fail } from './errors.js';
import { deriveFileKeys } from './kdf.js';
import {
  DEFAULT_LOG2, HEADER_LEN, TAG_LEN, buildHeader, checkHeaderIds, decryptRecord, encryptRecord,
  parseHeader, verifyHeader,
} from './stf1.js';

// Record crypto on the current thread.
export function localCipher(fk, header) {
  const h = u8(header).slice(0, HEADER_LEN);
  return {
    parallelism: 1,
    encrypt: (i, p, last) => encryptRecord(fk, h, i, p, last),
    decrypt: (i, c, last) => decryptRecord(fk, h, i, c, last),
  };
}

// Writer side: derive FK/HK, build the MAC'd header. fileSalt defaults to
// fresh random bytes; it must be fresh for every upload attempt (§1.9).
export async function prepareFile({ K, msgId, fileIndex, fileSalt = randomBytes(32), log2 = DEFAULT_LOG2 }) {
  const { fk, hk } = await deriveFileKeys(K, msgId, fileIndex, fileSalt);
  const header = await buildHeader(hk, { msgId, fileIndex, fileSalt, log2 });
  return { fk, header, cipher: localCipher(fk, header) };
}

// Reader side: structural checks, keys from the ids the caller expects (so a
// header of another file or message fails the MAC), MAC before any record.
export async function openFile({ K, msgId, fileIndex, header }) {
  const parsed = parseHeader(header);
  checkHeaderIds(parsed, msgId, fileIndex);
  const { fk, hk } = await deriveFileKeys(K, msgId ?? parsed.msgId, fileIndex ?? parsed.fileIndex, parsed.fileSalt);
  await verifyHeader(parsed.header, hk);
  return { parsed, fk, cipher: localCipher(fk, parsed.header) };
}

// Chunks in, exact-length pieces out; copies only what it hands out.
class ByteQueue {
  constructor() { this.chunks = []; this.length = 0; this.head = 0; }
  push(c) { const b = u8(c); if (b.length) { this.chunks.push(b); this.length += b.length; } }
  take(n) {
    const out = new Uint8Array(n);
    let o = 0;
    while (o < n) {
      const c = this.chunks[0], avail = c.length - this.head, k = Math.min(avail, n - o);
      out.set(c.subarray(this.head, this.head + k), o);
      o += k; this.head += k;
      if (this.head === c.length) { this.chunks.shift(); this.head = 0; }
    }
    this.length -= n;
    return out;
  }
}

// In-order output with up to `depth` promises in flight. A rejected promise
// is observed at once (no unhandled-rejection noise) and rethrown in order.
function orderedQueue(depth, emit) {
  const q = [];
  return {
    async add(p) {
      p.catch(() => {});
      q.push(p);
      while (q.length >= depth) emit(await q.shift());
    },
    async drain() { while (q.length) emit(await q.shift()); },
  };
}

function emitter(controller, skip) {
  let left = skip;
  return (b) => {
    if (left >= b.length) { left -= b.length; return; }
    controller.enqueue(left ? b.subarray(left) : b);
    left = 0;
  };
}

// Plaintext chunks of any size in, STF1 bytes out. Options: either
// {cipher, header} or the prepareFile() inputs; startRecord (resume: the
// input starts at plaintext offset startRecord·R and no header is emitted
// unless startRecord is 0); skip (output bytes to drop, for a resume inside a
// record — see stf1.locateOffset); onHeader(header) for the caller's
// manifest (header_sha256).
export function createEncryptStream(opts) {
  const startRecord = opts.startRecord ?? 0;
  let cipher, R, cur, fill = 0, i = startRecord, out, emit, sawInput = false;
  const dispatch = (last) => {
    const rec = last ? cur.subarray(0, fill) : cur;
    const p = cipher.encrypt(i++, rec, last);
    cur = new Uint8Array(R); fill = 0;
    return out.add(p);
  };
  return new TransformStream({
    async start(controller) {
      let header = opts.header;
      if (opts.cipher && header) cipher = opts.cipher;
      else ({ cipher, header } = await prepareFile(opts));
      header = u8(header);
      R = 2 ** header[6];
      cur = new Uint8Array(R);
      emit = emitter(controller, opts.skip ?? 0);
      out = orderedQueue(Math.max(1, cipher.parallelism | 0), emit);
      if (opts.onHeader) opts.onHeader(header.slice());
      if (startRecord === 0) emit(header.slice());
    },
    async transform(chunk, controller) {
      let b = u8(chunk);
      if (b.length) sawInput = true;
      while (b.length) {
        // A full record is non-final only once we know more bytes follow.
        if (fill === R) await dispatch(false);
        const k = Math.min(R - fill, b.length);
        cur.set(b.subarray(0, k), fill);
        fill += k; b = b.subarray(k);
      }
    },
    async flush() {
      if (startRecord > 0 && !sawInput) fail('argument', 'resume past the end of the plaintext');
      await dispatch(true); // 0..R bytes; 0 only for an empty file (record 0)
      await out.drain();
    },
  });
}

// STF1 bytes in, verified plaintext out. Options: {K, msgId, fileIndex} or
// open(headerBytes) → {cipher} (e.g. the pool); header + startRecord to read
// from the middle (a Range request, header fetched separately);
// onHeader(parsed). Errors the stream with a distinct EnvelopeError code.
export function createDecryptStream(opts) {
  const q = new ByteQueue();
  let header = null, cipher, R, i = opts.startRecord ?? 0, out, ctrl;
  const open = opts.open ?? (async (h) => openFile({ K: opts.K, msgId: opts.msgId, fileIndex: opts.fileIndex, header: h }));

  async function start(h) {
    const parsed = parseHeader(h);
    ({ cipher } = await open(parsed.header));
    header = parsed.header;
    R = 2 ** header[6];
    out = orderedQueue(Math.max(1, cipher.parallelism | 0), (p) => ctrl.enqueue(p));
    if (opts.onHeader) opts.onHeader(parsed);
  }

  // A failed tag is re-tried with the other final flag only to name the
  // failure, exactly as the C reader (src/envelope/stf1_dec.c) does: a record
  // that verifies with the wrong flag means the stream continues past its end
  // (trailing), was cut at a record boundary (truncated), or ends in a short
  // non-final record (short_record).
  async function one(idx, c, last) {
    try { return await cipher.decrypt(idx, c, last); } catch (e) {
      if (!(e instanceof EnvelopeError) || e.code !== 'record_auth') throw e;
      let other = false;
      try { await cipher.decrypt(idx, c.slice(), !last); other = true; } catch (e2) { other = e2 && e2.code === 'short_record'; }
      if (!other) throw e;
      if (!last) fail('trailing', `record ${idx}`);
      return fail(c.length === R + TAG_LEN ? 'truncated' : 'short_record', `record ${idx}`);
    }
  }

  return new TransformStream({
    start(controller) { ctrl = controller; },
    async transform(chunk) {
      q.push(chunk);
      if (!header) {
        if (opts.header) await start(opts.header);
        else if (q.length >= HEADER_LEN) await start(q.take(HEADER_LEN));
        else return;
      }
      // Hold back one full record: it is non-final only if more bytes follow.
      while (q.length > R + TAG_LEN) {
        const c = q.take(R + TAG_LEN);
        await out.add(one(i++, c, false));
      }
    },
    async flush() {
      if (!header) {
        if (opts.header) await start(opts.header);
        else await start(q.take(q.length)); // throws magic or truncated
      }
      await out.drain();
      // Every file ends in a final record of at least a tag; with the
      // hold-back, L = 0 means no record followed the header (or the range).
      const L = q.length;
      if (L < TAG_LEN) fail('truncated', L ? 'EOF inside a record' : 'no final record');
      await out.add(one(i++, q.take(L), true));
      await out.drain();
    },
  });
}

// Whole-buffer helpers (tests, small files): run bytes through a stream in
// chunks of `chunk` bytes and collect the output.
export async function pipeBytes(ts, data, chunk = 1 << 20) {
  const b = u8(data);
  const parts = [];
  const reading = (async () => {
    const r = ts.readable.getReader();
    for (;;) { const { done, value } = await r.read(); if (done) break; parts.push(value); }
  })();
  const w = ts.writable.getWriter();
  try {
    for (let o = 0; o < b.length; o += chunk) await w.write(b.subarray(o, Math.min(b.length, o + chunk)));
    await w.close();
  } catch { /* the reader side reports the stream's error */ }
  await reading;
  return concat(...parts);
}

export const encryptBytes = (plaintext, opts, chunk) => pipeBytes(createEncryptStream(opts), plaintext, chunk);
export const decryptBytes = (ciphertext, opts, chunk) => pipeBytes(createDecryptStream(opts), ciphertext, chunk);
