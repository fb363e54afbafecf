// The one request/reply channel between a page and its Workers (account
// keys, request keys, upload, download). Both sides of every Worker use it,
// so replies, errors, transfers and progress have one shape:
//   page → Worker   {id, method, args}                 (transfer list with it)
//   Worker → page   {id, result}                       one per request
//                   {id, error: {name, code, message, status?}}
//                   {id, progress}                     any number, before the reply
// Errors cross as plain data (a thrown Error does not survive structured
// clone with its code) and are re-thrown on the page by the channel's own
// error factory, so callers keep their error classes (AccountKeyError,
// UploadError, …) and their codes. Transferables: a page passes them as the
// third argument of call(); a handler returns transfer(result, list).
// Other message traffic (the service worker's download stream, the key
// handover port between the account and download Workers) is a stream or a
// one-shot port, not a request, and does not go through here.

/** The error a channel throws when its factory is not given. */
export class RpcError extends Error {
  constructor(code, message, status) {
    super(message || code);
    this.name = 'RpcError';
    this.code = code;
    if (status !== undefined) this.status = status;
  }
}

class Transfer {
  constructor(result, list) {
    this.result = result;
    this.list = list;
  }
}

/** A handler's result whose buffers (list) are moved, not copied, to the page. */
export function transfer(result, list) {
  return new Transfer(result, list);
}

/**
 * The page side. worker: a started Worker. error(code, message, status) makes
 * the Error a failed call rejects with; failed: [code, message] when the
 * Worker itself dies (a script error, out of memory).
 * → {call(method, args, transferList, {onProgress}), terminate(code, message)}.
 */
export function connect(worker, { error = (c, m, s) => new RpcError(c, m, s), failed = ['internal', 'the worker failed'] } = {}) {
  let seq = 0;
  const waiting = new Map(); // id → {resolve, reject, onProgress}
  const rejectAll = (code, message) => {
    for (const p of waiting.values()) p.reject(error(code, message));
    waiting.clear();
  };
  worker.onmessage = (ev) => {
    const m = ev.data || {};
    const p = waiting.get(m.id);
    if (!p) return;
    if ('progress' in m) {
      p.onProgress?.(m.progress);
      return;
    }
    waiting.delete(m.id);
    if (m.error) p.reject(error(m.error.code || 'internal', m.error.message, m.error.status));
    else p.resolve(m.result);
  };
  worker.onerror = (ev) => {
    ev.preventDefault?.();
    rejectAll(...failed);
  };
  return {
    call(method, args = {}, transferList = [], { onProgress } = {}) {
      const id = ++seq;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject, onProgress });
        worker.postMessage({ id, method, args }, transferList);
      });
    },
    /** Ends the Worker; calls still open reject with (code, message). */
    terminate(code = 'aborted', message = 'stopped') {
      worker.terminate();
      rejectAll(code, message);
    },
  };
}

/**
 * The Worker side: answers requests with handlers[method](args, {progress}).
 * codeOf(e) names the error code for a thrown e (default: e.code or
 * 'internal'); a numeric e.status (an HTTP status) is passed on.
 */
export function serve(handlers, { codeOf = (e) => e?.code || 'internal', scope = globalThis } = {}) {
  scope.onmessage = async (ev) => {
    const { id, method, args } = ev.data || {};
    try {
      const fn = typeof method === 'string' && Object.hasOwn(handlers, method) ? handlers[method] : null;
      if (!fn) throw new RpcError('argument', `unknown op ${method}`);
      const out = await fn(args || {}, { progress: (progress) => scope.postMessage({ id, progress }) });
      if (out instanceof Transfer) scope.postMessage({ id, result: out.result }, out.list);
      else scope.postMessage({ id, result: out });
    } catch (e) {
      const error = { name: String(e?.name || 'Error'), code: String(e instanceof RpcError ? e.code : codeOf(e)), message: String(e?.message || e) };
      if (Number.isInteger(e?.status)) error.status = e.status;
      scope.postMessage({ id, error });
    }
  };
}

/** True in a dedicated Worker (not in node tests or on the page). */
export const inWorker = () => typeof WorkerGlobalScope !== 'undefined' && globalThis instanceof WorkerGlobalScope;
