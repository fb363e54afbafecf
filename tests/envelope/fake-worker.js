// An in-process stand-in for a dedicated Worker running web/src/crypto/worker.js,
// for node (which has no web Worker). Messages go through structuredClone with
// the transfer list, as postMessage would, so detached buffers and CryptoKey
// cloning behave as in the browser.
import { createHandler } from '../../web/src/crypto/worker.js';

export function createFakeWorker() {
  const handle = createHandler();
  const w = {
    onmessage: null, onerror: null, closed: false,
    postMessage(msg, transfer = []) {
      const m = structuredClone(msg, { transfer });
      queueMicrotask(() => handle(m, (reply, t = []) => {
        if (w.closed) return;
        const r = structuredClone(reply, { transfer: t });
        setTimeout(() => w.onmessage && w.onmessage({ data: r }), 0);
      }));
    },
    terminate() { w.closed = true; },
  };
  return w;
}
