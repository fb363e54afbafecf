// A small pool of crypto Workers: WebCrypto AES-GCM runs at roughly
// 100 MiB/s per thread in Chromium, so records are spread over up to four
// Workers while stream.js keeps the output in order. One Worker derives the
// file keys; FK is passed to the others as a non-extractable CryptoKey
// (structured clone), so key bytes never leave a Worker after import.
import { copyBuffer, u8 } from './bytes.js';
import { EnvelopeError } from './errors.js';

export function defaultPoolSize() {
  const n = (globalThis.navigator && navigator.hardwareConcurrency) || 1;
  return Math.max(1, Math.min(4, n));
}

class Conn {
  constructor(worker) {
    this.w = worker; this.seq = 0; this.waiting = new Map(); this.busy = 0; this.dead = null;
    worker.onmessage = (ev) => {
      const m = ev.data, p = this.waiting.get(m.id);
      if (!p) return;
      this.waiting.delete(m.id); this.busy--;
      if (m.error) p.reject(new EnvelopeError(m.error, m.message)); else p.resolve(m);
    };
    worker.onerror = (ev) => {
      this.dead = new EnvelopeError('argument', `worker failed: ${ev.message || 'error'}`);
      for (const p of this.waiting.values()) p.reject(this.dead);
      this.waiting.clear();
    };
  }
  call(msg, transfer = []) {
    if (this.dead) return Promise.reject(this.dead);
    const id = ++this.seq;
    this.busy++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.w.postMessage({ ...msg, id }, transfer);
    });
  }
}

// createWorker: () => Worker; in the app () => startWorker('crypto-worker', { type: 'module' })
// from lib/assets.js, which goes through the Trusted Types policy.
export class CryptoPool {
  constructor({ createWorker, size = defaultPoolSize() }) {
    this.conns = Array.from({ length: size }, () => new Conn(createWorker()));
    this.nextFid = 0;
  }

  get size() { return this.conns.length; }

  // Least-busy Worker, so one slow record does not stall the others.
  pick() { return this.conns.reduce((a, b) => (b.busy < a.busy ? b : a)); }

  async share(fid, fk, header) {
    await Promise.all(this.conns.slice(1).map((c) => c.call({ op: 'adopt', fid, fk, header })));
  }

  // Writer: → {fid, header, cipher}. K as bytes or HKDF CryptoKey.
  async prepareFile({ K, msgId, fileIndex, fileSalt, log2 }) {
    const fid = ++this.nextFid;
    const r = await this.conns[0].call({ op: 'prepare', fid, K, msgId, fileIndex, fileSalt, log2 });
    const header = new Uint8Array(r.header);
    await this.share(fid, r.fk, header);
    return { fid, header, cipher: this.cipher(fid) };
  }

  // Reader: verifies the header in a Worker; → {fid, cipher}.
  async openFile({ K, msgId, fileIndex, header }) {
    const fid = ++this.nextFid;
    const h = u8(header).slice(0, 96);
    // The opening Worker returns FK (non-extractable); hand it to the rest.
    const r = await this.conns[0].call({ op: 'open', fid, K, msgId, fileIndex, header: h });
    await this.share(fid, r.fk, h);
    return { fid, cipher: this.cipher(fid) };
  }

  // The {encrypt, decrypt, parallelism} object stream.js expects. Each record
  // is copied once into its own buffer and transferred to the Worker.
  cipher(fid) {
    const run = async (op, i, data, last) => {
      const buf = copyBuffer(data);
      const r = await this.pick().call({ op, fid, i, last, data: buf }, [buf]);
      return new Uint8Array(r.data);
    };
    return {
      parallelism: this.conns.length * 2, // keep every Worker fed while one result is in transit
      encrypt: (i, p, last) => run('enc', i, p, last),
      decrypt: (i, c, last) => run('dec', i, c, last),
    };
  }

  async closeFile(fid) {
    await Promise.all(this.conns.map((c) => c.call({ op: 'close', fid })));
  }

  terminate() { for (const c of this.conns) c.w.terminate(); }
}
