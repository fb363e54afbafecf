// The download service worker (SECURITY.md §1.10), for browsers without the
// File System Access API. It serves only /sw-download/<token>: the page
// registers a token with a MessagePort, then starts a download of that URL;
// the answer is a stream whose bytes the download Worker sends over the
// port after decrypting them. If a record fails verification the Worker
// sends an error and the stream is errored, so the browser marks the
// download failed instead of keeping a partial file as if complete.
// Every other request goes to the network untouched. Served from the site
// root (dist/sw.js) so its scope is "/"; no caching of anything.
/* eslint-env serviceworker */
const PREFIX = '/sw-download/';
const TTL = 60 * 1000; // an unclaimed token expires
const pending = new Map(); // token → {name, size, mime, port, at}

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));

self.addEventListener('message', (e) => {
  const d = e.data || {};
  if (d.type !== 'download') return; // 'ping' only keeps this worker alive
  const port = e.ports[0];
  if (!port || !/^[0-9a-f]{32}$/.test(d.token || '')) return;
  const now = Date.now();
  for (const [t, p] of pending) if (now - p.at > TTL) { p.port.close(); pending.delete(t); }
  pending.set(d.token, { name: String(d.name || 'document'), size: d.size, mime: d.mime, port, at: now });
  port.postMessage({ type: 'registered' });
});

// RFC 6266 / 5987: an ASCII fallback and the UTF-8 name.
function disposition(name) {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

function streamFrom(port) {
  let waiting = null;
  return new ReadableStream(
    {
      start(controller) {
        port.onmessage = (ev) => {
          const m = ev.data || {};
          if (m.type === 'chunk') controller.enqueue(new Uint8Array(m.chunk));
          else if (m.type === 'done') { controller.close(); port.close(); }
          else if (m.type === 'error') { controller.error(new Error(m.message || 'download failed')); port.close(); }
          else return;
          if (waiting) { const w = waiting; waiting = null; w(); }
        };
      },
      pull() {
        port.postMessage({ type: 'pull' });
        return new Promise((res) => (waiting = res));
      },
      cancel() {
        port.postMessage({ type: 'cancel' });
        port.close();
      },
    },
    { highWaterMark: 4 },
  );
}

self.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith(PREFIX)) return;
  const token = url.pathname.slice(PREFIX.length);
  const d = pending.get(token);
  if (!d) return;
  pending.delete(token);
  const headers = {
    'Content-Type': 'application/octet-stream',
    'Content-Disposition': disposition(d.name),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  };
  if (Number.isSafeInteger(d.size) && d.size >= 0) headers['Content-Length'] = String(d.size);
  e.respondWith(new Response(streamFrom(d.port), { headers }));
});
