// Uploads one file's STF1 ciphertext with a stock tus-js-client (STYLE rule
// 28). The ciphertext is never built whole: tus-js-client's `fileReader`
// option gets a source whose slice(start, end) asks the upload Worker
// (worker.js) for exactly those ciphertext bytes, so memory stays about one
// chunk and a retry or resume at any byte offset gets identical bytes.
import { Upload } from 'tus-js-client';
import { getSession } from '../lib/api.js';
import { startWorker } from '../lib/assets.js';

export const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000];

export class UploadError extends Error {
  constructor(code, message, status = 0) {
    super(message || code);
    this.name = 'UploadError';
    this.code = code;
    this.status = status;
  }
}

/** One upload Worker, shared by the files of a message. */
export class SendWorker {
  constructor() {
    this.w = startWorker('send-worker', { name: 'upload' });
    this.seq = 0;
    this.fid = 0;
    this.waiting = new Map();
    this.w.onmessage = (ev) => {
      const m = ev.data || {};
      const p = this.waiting.get(m.id);
      if (!p) return;
      this.waiting.delete(m.id);
      if (m.error) p.reject(new UploadError(m.error, m.message));
      else p.resolve(m);
    };
    this.w.onerror = (ev) => {
      ev.preventDefault?.();
      for (const p of this.waiting.values()) p.reject(new UploadError('worker', 'the upload worker failed'));
      this.waiting.clear();
    };
  }

  call(msg) {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.w.postMessage({ ...msg, id });
    });
  }

  /** Registers a file with its FK (a non-extractable CryptoKey) and header; → {fid, size}. */
  async open(file, fk, header) {
    const fid = ++this.fid;
    const { size } = await this.call({ op: 'open', fid, fk, header, file });
    return { fid, size };
  }

  /** The tus-js-client source for an opened file. */
  source(fid, size) {
    return {
      size,
      slice: async (start, end) => {
        const { data } = await this.call({ op: 'range', fid, start, end });
        // A Blob: tus-js-client reads value.size, and XHR sends it as is.
        return { value: new Blob([data]), done: end >= size };
      },
      close: () => {
        this.call({ op: 'close', fid }).catch(() => {});
      },
    };
  }

  terminate() {
    this.w.terminate();
    for (const p of this.waiting.values()) p.reject(new UploadError('aborted', 'stopped'));
    this.waiting.clear();
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
        headers: { 'X-CSRF-Token': csrf },
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
