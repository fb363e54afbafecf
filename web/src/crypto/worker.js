// The crypto Worker (SECURITY.md §1.4, STYLE rule 27: crypto only in the
// Worker). It holds per-file keys as non-extractable CryptoKeys and does
// record AEAD on request. Protocol, one reply per request:
//   {id, op:'prepare', fid, K, msgId, fileIndex, fileSalt, log2}  → {id, header}
//   {id, op:'open', fid, K, msgId, fileIndex, header}             → {id, parsed}
//   {id, op:'adopt', fid, fk, header}                             → {id}
//   {id, op:'enc'|'dec', fid, i, last, data: ArrayBuffer}         → {id, data: ArrayBuffer}
//   {id, op:'close', fid}                                         → {id}
// errors → {id, error: code, message}. Record buffers are transferred both
// ways, so a 1 MiB record is never copied between threads.
// K may be raw bytes or an HKDF CryptoKey; FK is a non-extractable CryptoKey
// that 'prepare'/'open' return as `fk` so a pool can share it with its other
// Workers by structured clone without the key bytes ever existing in JS.
import { u8 } from './bytes.js';
import { EnvelopeError } from './errors.js';
import { decryptRecord, encryptRecord } from './stf1.js';
import { openFile, prepareFile } from './stream.js';

export function createHandler() {
  const files = new Map(); // fid → {fk, header}

  function get(fid) {
    const f = files.get(fid);
    if (!f) throw new EnvelopeError('argument', 'unknown file handle');
    return f;
  }

  async function run(msg) {
    switch (msg.op) {
      case 'prepare': {
        const { fk, header } = await prepareFile(msg);
        files.set(msg.fid, { fk, header });
        return { header: header.buffer, fk };
      }
      case 'open': {
        const { fk, parsed } = await openFile(msg);
        files.set(msg.fid, { fk, header: parsed.header });
        return { parsed: { log2: parsed.log2, fileIndex: parsed.fileIndex }, fk };
      }
      case 'adopt':
        files.set(msg.fid, { fk: msg.fk, header: u8(msg.header).slice() });
        return {};
      case 'enc': case 'dec': {
        const f = get(msg.fid);
        const fn = msg.op === 'enc' ? encryptRecord : decryptRecord;
        const r = await fn(f.fk, f.header, msg.i, new Uint8Array(msg.data), msg.last);
        return { data: r.buffer, transfer: [r.buffer] };
      }
      case 'close':
        files.delete(msg.fid);
        return {};
      default:
        throw new EnvelopeError('argument', `unknown op ${msg.op}`);
    }
  }

  // reply(msg, transferList)
  return async function handle(msg, reply) {
    try {
      const { transfer = [], ...res } = await run(msg);
      reply({ id: msg.id, ...res }, transfer);
    } catch (e) {
      const code = e instanceof EnvelopeError ? e.code : 'argument';
      reply({ id: msg.id, error: code, message: String(e && e.message) });
    }
  };
}

// Wire up only when actually running as a dedicated Worker, so node tests and
// the page can import createHandler without side effects.
if (typeof WorkerGlobalScope !== 'undefined' && globalThis instanceof WorkerGlobalScope) {
  const handle = createHandler();
  globalThis.onmessage = (ev) => handle(ev.data, (m, t) => globalThis.postMessage(m, t));
}
