// Sending a message (S1-S7), end to end:
//   POST /messages → K and the self-stanza in the key Worker → PUT self-stanza
//   → per file: fresh salt + FK + header (key Worker), ciphertext ranges (upload
//   Worker) through tus-js-client, `parallel` files at once → manifest, stanza
//   or link gate (key Worker) → POST /messages/{id}/send.
// resumeMessage() does the same for a message left in `uploading` by a reload:
// K from the self-stanza, files already done kept, the others uploaded afresh
// with a NEW salt (SECURITY.md §1.9).
//
// Strict delivery (SECURITY.md §1.6): draft.delivery 'strict' asks for it, the
// organisation's policy decides (the POST answer's `delivery`); in strict mode
// S never leaves the key Worker except sealed under a key from K, and the
// message page then shows the link for the sender to deliver. A server that
// answers 'standard' to a sender who asked for strict gets nothing.
//
// The recipient's key passes account/page/peerkeys.js (§1.8: the key-transparency
// log, then the pins) before the message is even created, and the key in
// the POST answer again before anything is made or uploaded: a key without
// its log entry stops there; a logged key that changed opens the dialog
// (`confirm`), and nothing is encrypted to it unless the user trusts it.
// resumeMessage() passes the key of the GET answer through the same gate
// before anything is uploaded or wrapped.
import { messageCrypto } from '../account/page/client.js';
import { lookupKey, trustKey } from '../account/page/peerkeys.js';
import { b64uEncode } from '../crypto/b64u.js';
import { sha256 } from '../crypto/bytes.js';
import { ciphertextSize } from '../crypto/stf1.js';
import { api, ApiError } from '../lib/api.js';
import { mimeFor } from '../lib/mime.js';
import { Progress } from './progress.js';
import { SendWorker, UploadError, uploadFile } from './upload.js';

export const UPLOAD_ENDPOINT = '/api/v1/uploads';

/** Runs `jobs` (functions returning promises) at most `n` at a time; first error wins. */
async function pool(n, jobs) {
  let next = 0, failed = null;
  const lane = async () => {
    while (!failed && next < jobs.length) {
      const job = jobs[next++];
      try {
        await job();
      } catch (e) {
        failed ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, jobs.length)) }, lane));
  if (failed) throw failed;
}

/**
 * Uploads the given {index, id, file, ciphertext_size} entries; → Map index →
 * header_sha256. fileKeys(index) → {fk, header} for one attempt (the account
 * key Worker by default; request/client.js passes its own).
 */
export async function uploadAll({ msgId, entries, upload, progress, signal, fileKeys = (index) => messageCrypto('msgFile', { msgId, index }) }) {
  const worker = new SendWorker();
  const headers = new Map();
  const aborts = new Set();
  const onAbort = () => { for (const a of aborts) a(); worker.terminate(); };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await pool(upload.parallel || 1, entries.map((e) => async () => {
      if (signal?.aborted) throw new UploadError('aborted');
      const { fk, header } = await fileKeys(e.index);
      headers.set(e.index, b64uEncode(await sha256(new Uint8Array(header))));
      const { fid, size } = await worker.open(e.file, fk, header);
      if (size !== e.ciphertext_size) throw new UploadError('size_mismatch', `ciphertext ${size} ≠ ${e.ciphertext_size}`);
      progress.start(e.index);
      const job = uploadFile({
        source: worker.source(fid, size),
        fileId: e.id,
        endpoint: upload.endpoint || UPLOAD_ENDPOINT,
        chunkSize: upload.chunk_size,
        onProgress: (sent) => progress.update(e.index, sent),
      });
      aborts.add(job.abort);
      await job.promise;
      aborts.delete(job.abort);
      progress.finish(e.index);
    }));
  } finally {
    signal?.removeEventListener('abort', onAbort);
    worker.terminate();
  }
  return headers;
}

async function finish({ msgId, sender, recipient, subject, reference, text, files }) {
  const body = await messageCrypto('msgFinish', { msgId, sender, recipient, subject, reference, text, files });
  await api.post(`/messages/${encodeURIComponent(msgId)}/send`, body);
  await messageCrypto('msgForget', { msgId }).catch(() => {});
}

/** Stores the self-stanza; a server without the endpoint still lets the send go on. */
async function storeSelfStanza(msgId, selfStanza) {
  try {
    await api.put(`/messages/${encodeURIComponent(msgId)}/self-stanza`, { self_stanza: selfStanza });
    return true;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 405)) return false;
    throw e;
  }
}

/**
 * Uploads the files of a message just created (the POST answer `created`;
 * files as sendMessage takes them); → Map index → header_sha256.
 */
export async function uploadCreated({ created, files, onProgress, signal, fileKeys }) {
  const entries = created.files.map((sf) => {
    const f = files[sf.index];
    if (!f || ciphertextSize(f.file.size) !== sf.ciphertext_size) throw new UploadError('size_mismatch');
    return { index: sf.index, id: sf.id, file: f.file, ciphertext_size: sf.ciphertext_size };
  });
  const progress = new Progress(entries.map((e) => ({ index: e.index, total: e.ciphertext_size })), onProgress);
  const headers = await uploadAll({ msgId: created.id, entries, upload: created.upload, progress, signal, fileKeys });
  progress.done();
  return headers;
}

/**
 * Creates and sends a message. draft: {recipient:{name,email,phone}, subject,
 * reference, text}; files: [{file: File, name (sanitised)}]; sender: {address};
 * onCreated(msgId) once the message exists; onProgress(snapshot) with the
 * Progress snapshot. Resolves to the message id.
 */
export async function sendMessage({ draft, files, sender, confirm, onCreated, onProgress, signal }) {
  const ctx = { purpose: 'send', name: draft.recipient.name, confirm };
  let created;
  for (let attempt = 0; !created; attempt++) {
    const pre = await trustKey(await lookupKey(draft.recipient.email), ctx);
    // The key we trust goes along: if it changed in between, the server refuses
    // (409 key_changed) and the new key goes through the pins once more.
    try {
      created = await api.post('/messages', {
        recipient: pre.key.key_id ? { ...draft.recipient, key_id: pre.key.key_id } : draft.recipient,
        subject: draft.subject,
        reference: draft.reference,
        files: files.map((f) => ({ name: f.name, size: f.file.size })),
        ...(draft.delivery ? { delivery: draft.delivery } : {}),
      });
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'key_changed') || attempt > 0) throw e;
    }
  }
  const msgId = created.id;
  const strict = created.delivery === 'strict';
  if (draft.delivery === 'strict' && !strict) throw new ApiError(0, 'delivery_mismatch', 'the server did not make the message strict');
  onCreated?.(msgId, created);
  await trustKey(created.recipient, ctx);
  const { self_stanza } = await messageCrypto('msgStart', { msgId });
  await storeSelfStanza(msgId, self_stanza);
  const headers = await uploadCreated({ created, files, onProgress, signal });
  await finish({
    msgId,
    sender,
    recipient: { ...created.recipient, r_srv: created.r_srv, strict },
    subject: draft.subject,
    reference: draft.reference,
    text: draft.text,
    files: files.map((f, i) => ({ name: f.name, size: f.file.size, mime: mimeFor(f.name), header_sha256: headers.get(i) })),
  });
  return msgId;
}

/**
 * Continues a message in state `uploading` after a reload. message: the GET
 * /messages/{id} answer; picked: Map index → File for the files not done;
 * recipient: what POST /messages answered is not available any more, so the
 * key (account) or R_srv (link) comes from that same GET answer while the
 * message is `uploading`. text: the Begeleidende tekst again.
 */
export async function resumeMessage({ message, picked, recipient, sender, text, upload, confirm, onProgress, signal }) {
  const msgId = message.id;
  await trustKey(recipient, { purpose: 'send', name: message.recipient?.name, confirm });
  await messageCrypto('msgResume', { msgId, selfStanza: message.self_stanza });
  const entries = message.files
    .filter((f) => !f.done)
    .map((f) => ({ index: f.index, id: f.id, file: picked.get(f.index), ciphertext_size: f.ciphertext_size }));
  if (entries.some((e) => !e.file)) throw new UploadError('files_missing');
  const progress = new Progress(entries.map((e) => ({ index: e.index, total: e.ciphertext_size })), onProgress);
  const headers = await uploadAll({ msgId, entries, upload, progress, signal });
  progress.done();
  await finish({
    msgId,
    sender,
    recipient,
    subject: message.subject,
    reference: message.reference,
    text,
    files: message.files.map((f) => ({
      name: f.name, size: f.size, mime: mimeFor(f.name), header_sha256: headers.get(f.index) ?? f.header_sha256,
    })),
  });
  return msgId;
}
