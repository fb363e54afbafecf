// Sending documents from outside (Q2, Q4): the page's side of the request
// key Worker (worker.js) and the whole send, reusing the employee's upload
// path (send/send.js): create the message through the request token, check
// the employee's key (account/peerkeys.js: its key-transparency entry, the
// link's key id and this browser's pins), upload, sign, send.
import { trustKey } from '../account/peerkeys.js';
import { api } from '../lib/api.js';
import { startWorker } from '../lib/assets.js';
import { mimeFor } from '../send/names.js';
import { uploadCreated } from '../send/send.js';

export class RequestError extends Error {
  constructor(code, message) {
    super(message || code);
    this.name = 'RequestError';
    this.code = code;
  }
}

export class RequestWorker {
  constructor() {
    this.w = startWorker('request-worker', { name: 'request-keys' });
    this.seq = 0;
    this.waiting = new Map();
    this.w.onmessage = (ev) => {
      const { id, result, error, message } = ev.data || {};
      const p = this.waiting.get(id);
      if (!p) return;
      this.waiting.delete(id);
      if (error) p.reject(new RequestError(error, message));
      else p.resolve(result);
    };
    this.w.onerror = (ev) => {
      ev.preventDefault?.();
      for (const p of this.waiting.values()) p.reject(new RequestError('worker', 'the key worker failed'));
      this.waiting.clear();
    };
  }

  call(op, args = {}) {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.w.postMessage({ id, op, ...args });
    });
  }

  terminate() {
    this.w.terminate();
    for (const p of this.waiting.values()) p.reject(new RequestError('aborted', 'stopped'));
    this.waiting.clear();
  }
}

const qPath = (token, rest = '') => `/q/${encodeURIComponent(token)}${rest}`;

/** What the token opens (GET /api/v1/q/{token}). */
export const openRequest = (token) => api.get(qPath(token));

/**
 * Sends files ([{file, name}]) and text to the employee of request `token`.
 * fp: the key id from the link (null for a drop-off). sender: {name, email}
 * as the server confirmed them. Resolves to the message id.
 */
export async function sendFromOutside({ worker, token, fp, purpose = 'request', employeeName, confirm, sender, subject, text, files, onCreated, onProgress, signal }) {
  const created = await api.post(qPath(token, '/messages'), {
    subject,
    reference: '',
    files: files.map((f) => ({ name: f.name, size: f.file.size })),
  });
  const msgId = created.id;
  onCreated?.(msgId);
  // Before a single byte goes out: is this key in the key-transparency log,
  // is it the key the link named, and the one pinned?
  await trustKey({ kind: 'account', ...created.recipient }, { purpose, name: employeeName, expectKeyId: fp || null, confirm });
  await worker.call('start', { msgId, x25519Pk: created.recipient.x25519_pk, kid: created.recipient.key_id, fp });
  const headers = await uploadCreated({
    created, files, onProgress, signal, fileKeys: (index) => worker.call('file', { msgId, index }),
  });
  const body = await worker.call('finish', {
    msgId,
    sender: { address: sender.email },
    recipient: { email: created.recipient.email },
    subject,
    reference: '',
    text,
    files: files.map((f, i) => ({ name: f.name, size: f.file.size, mime: mimeFor(f.name), header_sha256: headers.get(i) })),
  });
  await api.post(qPath(token, `/messages/${encodeURIComponent(msgId)}/send`), body);
  await worker.call('forget');
  return msgId;
}
