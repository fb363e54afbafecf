// Where decrypted bytes go, behind one small interface used by the download
// Worker: {write(chunk), close(), abort(reason)}.
//   fsaSink:  a File System Access file handle. Its writable commits to the
//             file only on close(); abort() discards everything written.
//   portSink: a MessagePort to the service worker (sw.js) that streams a
//             browser download; abort() makes it error the stream, so the
//             browser marks the download failed. Credit based: the service
//             worker asks for each chunk, so at most a few chunks are queued.

export async function fsaSink(handle) {
  const writable = await handle.createWritable({ keepExistingData: false });
  const writer = writable.getWriter();
  return {
    write: (chunk) => writer.write(chunk),
    close: () => writer.close(),
    abort: (reason) => writer.abort(reason).catch(() => {}),
  };
}

export function portSink(port) {
  let credits = 0, wake = null, cancelled = false;
  port.onmessage = (ev) => {
    const m = ev.data || {};
    if (m.type === 'pull') credits++;
    else if (m.type === 'cancel') cancelled = true;
    if (wake) { const w = wake; wake = null; w(); }
  };
  port.start?.();
  const ready = async () => {
    while (!credits && !cancelled) await new Promise((r) => (wake = r));
    if (cancelled) throw new DOMException('The download was cancelled', 'AbortError');
    credits--;
  };
  return {
    async write(chunk) {
      await ready();
      const buf = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength ? chunk.buffer : chunk.slice().buffer;
      port.postMessage({ type: 'chunk', chunk: buf }, [buf]);
    },
    async close() {
      port.postMessage({ type: 'done' });
      port.close();
    },
    async abort(reason) {
      port.postMessage({ type: 'error', message: String(reason?.code || reason?.message || reason || 'aborted') });
      port.close();
    },
    get cancelled() { return cancelled; },
  };
}
