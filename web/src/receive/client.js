// The page side of receiving: talks to the download Worker (worker.js) and
// picks where a download goes — the File System Access save dialog where
// the browser has it, otherwise a service-worker streamed download (sw.js).
// The page never sees K or plaintext; it passes key material it cannot
// read (a MessagePort from the account Worker) and file handles.
import { messageCrypto } from '../account/page/client.js';
import { startWorker } from '../lib/assets.js';
import { connect } from '../lib/rpc.js';
import { scriptURL } from '../lib/trusted.js';
import { safeFileName } from './names.js';

export class ReceiveError extends Error {
  constructor(code, message, status) {
    super(message || code);
    this.name = 'ReceiveError';
    this.code = code;
    this.status = status;
  }
}

/** Codes that mean: the bytes are not what the sender signed. */
export const DAMAGED = new Set([
  'magic', 'version', 'suite', 'record_size', 'flags', 'reserved', 'header_mac',
  'record_auth', 'truncated', 'trailing', 'short_record', 'counter', 'size',
]);

/** The download Worker (worker.js), through lib/rpc.js. */
export class ReceiveWorker {
  constructor() {
    this.rpc = connect(startWorker('receive-worker', { name: 'download' }), {
      error: (code, message, status) => new ReceiveError(code, message, status),
      failed: ['internal', 'the download worker failed'],
    });
    this.dl = 0;
  }

  call(op, args = {}, transfer = [], opts = {}) {
    return this.rpc.call(op, args, transfer, opts);
  }

  /** Link flow: S (base64url) goes to the Worker; → link_auth (base64url). */
  async linkAuth(msgId, S) {
    return (await this.call('linkAuth', { msgId, S })).link_auth;
  }

  /** Link flow: K from link_stanza and R_srv (after the code). */
  linkKey(msgId, { link_stanza, r_srv }) {
    return this.call('linkKey', { msgId, link_stanza, r_srv });
  }

  /**
   * Account flow: the account Worker opens the stanza and sends K (a
   * non-extractable CryptoKey) straight to this Worker over a MessageChannel.
   */
  async accountKey(msgId, stanza) {
    const ch = new MessageChannel();
    const adopted = this.call('adoptKey', { msgId, port: ch.port2 }, [ch.port2]);
    try {
      await messageCrypto('msgKeyTo', { msgId, stanza, port: ch.port1 }, [ch.port1]);
    } catch (e) {
      ch.port1.close();
      this.call('forget', { msgId }).catch(() => {});
      throw new ReceiveError(e?.code === 'stanza_auth' ? 'stanza_auth' : e?.code || 'internal', String(e?.message || e));
    }
    return adopted;
  }

  /** → {manifest, problems}; problems empty means the server's view matched. */
  manifest(msgId, sealed, expect, server) {
    return this.call('manifest', { msgId, sealed, expect, server });
  }

  /**
   * Saves one document (files = [index]) or the archive of several to a
   * target from chooseTarget(). onProgress(plaintextBytes).
   */
  async save({ msgId, files, urls, archive = false, target, onProgress }) {
    const dl = ++this.dl;
    const transfer = target.port ? [target.port] : [];
    const job = this.call('save', { dl, msgId, files, urls, archive, target: target.handle ? { handle: target.handle } : { port: target.port } }, transfer, { onProgress });
    this.current = dl;
    try {
      return await job;
    } finally {
      target.done?.();
    }
  }

  cancel() {
    if (this.current) this.call('cancel', { dl: this.current }).catch(() => {});
  }

  terminate() {
    this.rpc.terminate('aborted', 'stopped');
  }
}

// ---- where a download goes ---------------------------------------------------

export function hasFileSystemAccess() {
  return typeof globalThis.showSaveFilePicker === 'function';
}

let swReady = null;

/** Registers /sw.js (scope "/") once and waits until it is active. */
export function serviceWorkerReady() {
  if (!('serviceWorker' in navigator)) return Promise.reject(new ReceiveError('no_download_support'));
  swReady ??= (async () => {
    const reg = await navigator.serviceWorker.register(scriptURL('/sw.js'), { scope: '/' });
    const sw = reg.active || reg.waiting || reg.installing;
    if (sw && sw.state !== 'activated')
      await new Promise((res) => {
        const on = () => { if (sw.state === 'activated' || sw.state === 'redundant') { sw.removeEventListener('statechange', on); res(); } };
        sw.addEventListener('statechange', on);
        on();
      });
    return reg;
  })().catch((e) => {
    swReady = null;
    throw new ReceiveError('no_download_support', String(e?.message || e));
  });
  return swReady;
}

function randomToken() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/**
 * Where a download goes. Must be called from the click (the save dialog needs
 * the user's gesture). Resolves to {handle} or {port, done}, or null when the
 * user cancelled the dialog.
 */
export async function chooseTarget(name, { size, mime } = {}) {
  const suggestedName = safeFileName(name);
  if (hasFileSystemAccess()) {
    try {
      return { kind: 'fsa', handle: await globalThis.showSaveFilePicker({ suggestedName }) };
    } catch (e) {
      if (e?.name === 'AbortError') return null;
      throw new ReceiveError('write_failed', String(e?.message || e));
    }
  }
  const reg = await serviceWorkerReady();
  const sw = reg.active;
  if (!sw) throw new ReceiveError('no_download_support');
  const token = randomToken();
  const ch = new MessageChannel();
  const registered = new Promise((res) => { ch.port1.onmessage = (ev) => { if (ev.data?.type === 'registered') res(); }; });
  sw.postMessage({ type: 'download', token, name: suggestedName, size, mime }, [ch.port2]);
  await registered;
  ch.port1.onmessage = null;
  // Keeps the service worker alive during a long download.
  const ping = setInterval(() => sw.postMessage({ type: 'ping' }), 10000);
  // A navigation, not <a download>: Chromium does not pass download-attribute
  // requests through the service worker. The answer is an attachment, so
  // the page stays; the token is registered, so the worker answers it.
  location.assign(`/sw-download/${token}`);
  return { kind: 'sw', port: ch.port1, done: () => clearInterval(ping) };
}
