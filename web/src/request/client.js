// Sending documents from outside (Q2, Q4): the page's side of the request
// key Worker (worker.js) and the whole send, reusing the employee's upload
// path (send/send.js): create the message through the request token, check
// the employee's key (account/page/peerkeys.js: its key-transparency entry, the
// link's key id and this browser's pins), upload, sign, send.
import { trustKey } from '../account/page/peerkeys.js';
import { api } from '../lib/api.js';
import { startWorker } from '../lib/assets.js';
import { connect } from '../lib/rpc.js';
import { mimeFor } from '../lib/mime.js';
import { uploadCreated } from '../send/send.js';

export class RequestError extends Error {
  constructor(code, message) {
    super(message || code);
    this.name = 'RequestError';
    this.code = code;
  }
}

/** The request key Worker (worker.js), through lib/rpc.js: call(op, args) → Promise. */
export class RequestWorker {
  constructor() {
    this.rpc = connect(startWorker('request-worker', { name: 'request-keys' }), {
      error: (code, message) => new RequestError(code, message),
      failed: ['worker', 'the key worker failed'],
    });
  }

  call(op, args = {}) {
    return this.rpc.call(op, args);
  }

  terminate() {
    this.rpc.terminate('aborted', 'stopped');
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
