// Uploads one file's STF1 ciphertext with a stock tus-js-client (STYLE rule
// 28). The ciphertext is never built whole: tus-js-client's `fileReader`
// option gets a source whose slice(start, end) asks the upload Workers
// (worker.js) for exactly those ciphertext bytes, so memory stays about two
// chunks (the one being sent and the next) and a retry or resume at any byte
// offset gets identical bytes.
import { Upload } from 'tus-js-client';
import { getSession } from '../lib/api.js';
import { mailboxHeaders } from '../lib/mailbox.js';
import { startWorker } from '../lib/assets.js';
import { connect } from '../lib/rpc.js';
import { HEADER_LEN, TAG_LEN, locateOffset } from '../crypto/stf1.js';

export const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000];

export class UploadError extends Error {
  constructor(code, message, status = 0) {
    super(message || code);
    this.name = 'UploadError';
    this.code = code;
    this.status = status;
  }
}

/**
 * How many upload Workers: WebCrypto AES-GCM runs at roughly 100 MiB/s per
 * thread in Chromium, so one per core, at most four.
 */
export function defaultPoolSize() {
  const n = (globalThis.navigator && navigator.hardwareConcurrency) || 1;
  return Math.max(1, Math.min(4, n));
}

/** One upload Worker, through lib/rpc.js: call({op, ...args}) → Promise. */
class Conn {
  constructor() {
    this.rpc = connect(startWorker('send-worker', { name: 'upload' }), {
      error: (code, message) => new UploadError(code, message),
      failed: ['worker', 'the upload worker failed'],
    });
  }

  call({ op, ...args }) {
    return this.rpc.call(op, args);
  }

  terminate() {
    this.rpc.terminate('aborted', 'stopped');
  }
}

/**
 * The upload Workers, shared by the files of a message. WebCrypto AES-GCM
 * runs on the calling Worker's thread (~100 MiB/s in Debian's Chromium), so
 * one file's chunk is split at record boundaries over `size` Workers (one per
 * core, DESIGN.md §4), each of which reads and encrypts its own records; and
 * while tus-js-client sends one chunk, the next one is already being
 * encrypted, so the network and the crypto overlap instead of taking turns.
 */
export class SendWorker {
  constructor(size = defaultPoolSize()) {
    this.conns = Array.from({ length: Math.max(1, size) }, () => new Conn());
    this.fid = 0;
    this.files = new Map(); // fid → {size, log2, ahead: {start, end, parts} | null, rot}
  }

  /** Registers a file with its FK (a non-extractable CryptoKey) and header in every Worker; → {fid, size}. */
  async open(file, fk, header) {
    const fid = ++this.fid;
    const r = await Promise.all(this.conns.map((c) => c.call({ op: 'open', fid, fk, header, file })));
    const { size } = r[0];
    this.files.set(fid, { size, log2: new Uint8Array(header)[6], ahead: null, rot: 0 });
    return { fid, size };
  }

  /**
   * Ciphertext bytes [start, end) as a list of byte arrays, in order: the
   * records of the range in contiguous groups, one group per Worker. The
   * first group goes to the Worker that had the previous range's last group:
   * that record straddles the chunk boundary and that Worker still has it.
   */
  parts(fid, start, end) {
    const f = this.files.get(fid);
    if (end <= start) return Promise.resolve([]);
    const full = 2 ** f.log2 + TAG_LEN;
    // Record i spans [HEADER_LEN + i·full, HEADER_LEN + (i+1)·full); record 0 also holds the header.
    const first = locateOffset(start, f.log2).record, last = locateOffset(end - 1, f.log2).record;
    const n = last - first + 1, k = Math.min(this.conns.length, n);
    const jobs = [];
    for (let g = 0, from = start; g < k; g++) {
      const lastRec = first + Math.ceil(((g + 1) * n) / k) - 1;
      const to = g === k - 1 ? end : Math.min(end, HEADER_LEN + (lastRec + 1) * full);
      const w = (f.rot + g) % this.conns.length;
      if (to > from) jobs.push(this.conns[w].call({ op: 'range', fid, start: from, end: to }).then((m) => m.data));
      from = to;
    }
    f.rot = (f.rot + k - 1) % this.conns.length;
    return Promise.all(jobs).then((groups) => groups.flat());
  }

  /** The tus-js-client source for an opened file. */
  source(fid, size) {
    const f = this.files.get(fid);
    return {
      size,
      slice: async (start, end) => {
        const hit = f.ahead && f.ahead.start === start && f.ahead.end === end ? f.ahead.parts : null;
        const parts = hit ?? this.parts(fid, start, end);
        // Read ahead: the next chunk of the same length (tus-js-client asks
        // for them in order; a retry or resume elsewhere just misses).
        f.ahead = null;
        if (end < size) {
          const next = { start: end, end: Math.min(size, end + (end - start)) };
          next.parts = this.parts(fid, next.start, next.end);
          next.parts.catch(() => {}); // reported when (if) it is used
          f.ahead = next;
        }
        // A Blob: tus-js-client reads value.size, and XHR sends it as is.
        return { value: new Blob(await parts), done: end >= size };
      },
      close: () => {
        f.ahead = null;
        this.files.delete(fid);
        for (const c of this.conns) c.call({ op: 'close', fid }).catch(() => {});
      },
    };
  }

  terminate() {
    for (const c of this.conns) c.terminate();
    this.files.clear();
  }
}

/**
 * Uploads file `fileId` (server id) from an opened source. Resolves when the
 * server has every byte; onProgress(bytesSent, bytesTotal) in ciphertext bytes.
 * Returns { promise, abort }.
 */
export function uploadFile({ source, fileId, endpoint = '/api/v1/uploads', chunkSize, onProgress }) {
  let up;
  const promise = (async () => {
    const { csrf } = await getSession();
    return new Promise((resolve, reject) => {
      up = new Upload(source, {
        endpoint,
        chunkSize,
        retryDelays: RETRY_DELAYS,
        metadata: { file_id: fileId },
        headers: { 'X-CSRF-Token': csrf, ...mailboxHeaders() },
        storeFingerprintForResuming: false,
        removeFingerprintOnSuccess: false,
        fileReader: { openFile: async (input) => input },
        onProgress,
        onError: (err) => {
          const status = err?.originalResponse?.getStatus?.() ?? 0;
          let code = 'upload_failed';
          try {
            code = JSON.parse(err?.originalResponse?.getBody?.() || '{}')?.error?.code || code;
          } catch {
            /* not JSON */
          }
          if (!status && err?.causingError?.code) code = err.causingError.code;
          reject(new UploadError(code, String(err?.message || err), status));
        },
        onSuccess: () => resolve(),
      });
      up.start();
    });
  })();
  return { promise, abort: () => up?.abort(false) };
}
